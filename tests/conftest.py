import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.text import slugify
from wagtail.models import Page, Site

from cms import district, ratelimit
from cms.celery import app as celery_app
from cms.district import DistrictProfile
from cms.models import HelpPage, HelpSettings, HomePage, MaterialIndexPage
from schools.models import Regency
from schools.selectors import forget_school_choices


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title="Sekolah Aman", slug="beranda", intro="Sekolah aman untuk anak")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    settings = HelpSettings.for_site(site)
    settings.hotlines = [
        ("hotline", {"name": "SAPA 129", "number": "129", "whatsapp": False, "description": ""})
    ]
    settings.save()
    return home


@pytest.fixture
def set_district_profile(db):
    """Save the default site's district profile with `fields` (the rest as before)."""

    def save(**fields):
        site = Site.objects.get(is_default_site=True)
        profile, _created = DistrictProfile.objects.update_or_create(site=site, defaults=fields)
        return profile

    return save


@pytest.fixture
def materials_index(home_page):
    return home_page.add_child(
        instance=MaterialIndexPage(title="Materi Sosialisasi", slug="materi", intro="")
    )


@pytest.fixture
def help_page(home_page):
    return home_page.add_child(
        instance=HelpPage(title="Butuh bantuan?", slug="bantuan", intro="<p>Ceritakan.</p>")
    )


@pytest.fixture
def public_site(materials_index, help_page):
    return materials_index.get_parent().specific


@pytest.fixture
def world(public_site):
    """The small world of tests/monitoring/reach_data.py, whose reach is worked out by
    hand: campaigns, quizzes and monitoring tests count it."""
    from tests.monitoring.reach_data import make_world

    return make_world()


SECOND_DISTRICT = Path(__file__).resolve().parent / "data" / "sabang"


@pytest.fixture
def second_district(db) -> Regency:
    """Kota Sabang (Kemendagri 11.72, Aceh; time zone WIB, UTC+7, where PPU is WITA):
    a second regency's public data (tests/data/sabang/README.md), loaded through
    import_regions, import_schools and import_boundaries next to whatever is already
    in the registry: 3 kecamatan with their boundaries, 18 desa, 40 schools with
    coordinates. Returns its Regency."""
    for command, name, *options in [
        ("import_regions", "regions.csv"),
        ("import_schools", "schools.csv"),
        ("import_boundaries", "kecamatan.geojson", "--level", "kecamatan"),
    ]:
        call_command(command, str(SECOND_DISTRICT / name), *options, stdout=io.StringIO())
    return Regency.objects.get(code="11.72")


@pytest.fixture
def role_client(db, client, django_user_model):
    """A client logged in as a user of the given role (a group name), or of no role."""

    def login(role: str | None):
        user = django_user_model.objects.create_user(
            username=f"user-{slugify(role or 'none')}", password="not-used"
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return login


@pytest.fixture
def role_clients(db, django_user_model):
    """A function giving a client logged in as a user of the given role (a group name),
    e.g. `role_clients(STAFF)`. Each role gets one user, named after it ("staf-sosialisasi"),
    and one client, made on first use and the same for the rest of the test."""
    clients = {}

    def client_for(role: str) -> Client:
        if role not in clients:
            user = django_user_model.objects.create_user(username=slugify(role))
            user.groups.add(Group.objects.get(name=role))
            clients[role] = Client()
            clients[role].force_login(user)
        return clients[role]

    return client_for


def require_in_ci(reason: str):
    """Skip locally when a component is missing, but fail in CI where it must exist."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures and lists live in the cache, which may be a shared Redis, or in
    the process (the public quiz form's school list, the district profile)."""
    cache.clear()
    forget_school_choices()
    district.forget()
    yield
    cache.clear()
    forget_school_choices()
    district.forget()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in their own storage (memory, or a shared Redis): each test
    starts with none."""
    ratelimit.limiter().storage.reset()
    yield
    ratelimit.limiter().storage.reset()


@pytest.fixture(autouse=True)
def _public_address_of_the_test_client(settings):
    """The test client's pages are at http://testserver: the printed addresses point
    there too, as in a deployment, and the admin's warning about a loopback
    WAGTAILADMIN_BASE_URL (tests/cms/test_public_address.py) stays out of the rest."""
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test asks for the live worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def _require_live_worker():
    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        reason = "a live Celery worker needs CELERY_BROKER_URL and PostgreSQL"
        if os.environ.get("REQUIRE_LIVE_WORKER"):
            pytest.fail(f"{reason} (REQUIRE_LIVE_WORKER is set)")
        pytest.skip(reason)


def start_worker(queue: str, media_root: Path, log_path: Path) -> subprocess.Popen:
    """A real `celery worker` process (solo pool: its main process runs the tasks) on
    the test database and the configured broker, listening on `queue` and sending the
    tasks it queues itself there too. Returns once it answers a ping."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    nodename = f"{queue}-{uuid.uuid4().hex[:4]}@localhost"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    log = open(log_path, "a")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=solo",
         "-Q", queue, "-n", nodename, "--without-gossip", "--without-mingle",
         "--loglevel=INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[nodename], timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"the Celery worker did not start; see {log_path}")
    return worker


def worker_log_path(queue: str) -> Path:
    log_dir = Path(settings.BASE_DIR) / "test-results"
    log_dir.mkdir(exist_ok=True)
    return log_dir / f"{queue}.log"


@pytest.fixture(scope="session")
def _live_worker_process(django_db_setup, tmp_path_factory):
    """A live worker for the whole run, on a queue of its own so no stale task from
    another run reaches it."""
    _require_live_worker()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    media_root = tmp_path_factory.mktemp("worker-media")
    worker = start_worker(queue, media_root, worker_log_path(queue))
    yield queue, media_root
    worker.terminate()
    worker.wait(timeout=30)


@pytest.fixture
def live_worker(_live_worker_process, transactional_db, django_db_serialized_rollback, settings):
    """Send this test's tasks to the live worker, which shares the test's database and
    media folder. Data must be committed for the worker to see it."""
    queue, settings.MEDIA_ROOT = _live_worker_process
    celery_app.conf.task_always_eager = False
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous_queue


@pytest.fixture
def own_queue(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """A queue and media folder for workers that this test starts, stops or kills itself
    (with start_worker); this test's tasks are sent there."""
    _require_live_worker()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path / "worker-media"
    celery_app.conf.task_always_eager = False
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous_queue
