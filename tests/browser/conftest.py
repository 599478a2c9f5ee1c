import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from cms.roles import STAFF
from tests.conftest import require_in_ci

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API keeps an event loop running in the test thread; the ORM calls
# made by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Function-scoped on purpose: Playwright's sync API runs the test in a greenlet with its
# own context, where Django's per-context database connection would miss the serialized
# data that transactional tests restore; started per test, it comes after that restore.
#
# Playwright turns Chromium's back-forward cache off (--disable-back-forward-cache);
# phones have it on. A test about Back and history runs with it on and off:
# parametrize `browser` indirectly with BFCACHE_ON and BFCACHE_OFF.
BFCACHE_ON = "bfcache-on"
BFCACHE_OFF = "bfcache-off"


@pytest.fixture
def browser(request):
    if not CHROMIUM.exists():
        require_in_ci("browser tests need Debian's chromium (apt install chromium)")
    from playwright.sync_api import sync_playwright

    bfcache = getattr(request, "param", BFCACHE_OFF) == BFCACHE_ON
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
            ignore_default_args=["--disable-back-forward-cache"] if bfcache else None,
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A cheap Android phone: 360 px wide, touch, and JavaScript turned off to prove
    that the public pages need none."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
        accept_downloads=True,
        locale="id-ID",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    connections.close_all()  # the connection opened in Playwright's context


@pytest.fixture
def desk(browser, live_server, django_user_model):
    """A staff member's office computer, signed in through the admin's login form as a
    Staf Sosialisasi user: the admin needs JavaScript. For transactional tests only, like
    everything that uses the live server."""
    user = django_user_model.objects.create_user(username="staf", password="sandi-rahasia-9")
    user.groups.add(Group.objects.get(name=STAFF))
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("staf")
    page.locator("#id_password").fill("sandi-rahasia-9")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    yield page
    context.close()
    connections.close_all()
