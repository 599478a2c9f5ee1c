import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, Site

from cms.models import HelpSettings, MaterialDocument, MaterialPage
from quizzes.models import Quiz, QuizSession


def counts():
    return {
        "pages": Page.objects.count(),
        "documents": MaterialDocument.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo renders real PDFs, so run it once for the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("seed_demo", stdout=io.StringIO())
        first = counts()
        call_command("seed_demo", stdout=io.StringIO())
        files = {}
        for document in MaterialDocument.objects.all():
            with document.open_file() as pdf:
                files[document.title] = pdf.read()
        yield {"counts": first, "files": files}
        # Module-scoped data outlives the per-test transaction: clean it up ourselves.
        Site.objects.update(root_page=Page.get_first_root_node())
        Page.objects.filter(depth__gt=1).delete()
        MaterialDocument.objects.all().delete()
        HelpSettings.objects.all().delete()
        QuizSession.objects.all().delete()  # and its attempts
        Quiz.objects.all().delete()


def test_running_it_twice_changes_nothing(db, seeded):
    assert counts() == seeded["counts"]


def test_builds_a_library_across_topics_audiences_and_formats(db, seeded):
    materials = MaterialPage.objects.live()
    assert materials.count() >= 8
    assert {m.format for m in materials} >= {"poster", "slide", "modul", "leaflet"}
    assert {t.slug for m in materials for t in m.topics.all()} >= {
        "perundungan",
        "kekerasan-seksual",
        "tppo",
        "perkawinan-anak",
        "keamanan-digital",
    }
    assert len({a.slug for m in materials for a in m.audiences.all()}) == 6


def test_every_material_file_is_a_real_pdf(db, seeded):
    titles = set(MaterialPage.objects.values_list("title", flat=True))
    assert set(seeded["files"]) == titles
    for title, content in seeded["files"].items():
        assert content.startswith(b"%PDF-"), title
        assert len(content) > 5000, title


def test_site_is_browsable_with_hotlines(client, db, seeded):
    assert "Materi terbaru" in client.get("/").content.decode()
    assert client.get("/materi/").status_code == 200
    assert "SAPA 129" in client.get("/bantuan/").content.decode()


def test_ensure_admin_uses_the_given_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "rahasia-demo-123")
    call_command("ensure_admin", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("rahasia-demo-123")


def test_ensure_admin_prints_a_generated_password_once(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    password = first.getvalue().rsplit(": ", 1)[1].strip()
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password not in second.getvalue()
