"""seed_demo: every app's demo content in one command, safe to run again."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page

from campaigns.selectors import partner_agency_of
from cms.models import MaterialDocument, MaterialPage
from monitoring.meetings import overdue_actions
from monitoring.models import FollowUpAction, Meeting
from schools.models import School, Village


def counts():
    return {
        "pages": Page.objects.count(),
        "documents": MaterialDocument.objects.count(),
        "schools": School.objects.count(),
        "villages": Village.objects.count(),
        "meetings": Meeting.objects.count(),
        "actions": FollowUpAction.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo renders real PDFs and loads the whole registry, so run it once for the
    module, inside a transaction rolled back at the end: later tests start clean."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first = counts()
        call_command("seed_demo", stdout=io.StringIO())
        files = {}
        for document in MaterialDocument.objects.all():
            with document.open_file() as pdf:
                files[document.title] = pdf.read()
        yield {"counts": first, "files": files}
        transaction.set_rollback(True)


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


def test_loads_the_real_school_registry(db, seeded):
    assert (seeded["counts"]["schools"], seeded["counts"]["villages"]) == (155, 54)


def test_last_quarters_meeting_has_three_overdue_actions_and_polres_a_partner(db, seeded):
    assert seeded["counts"]["meetings"] == 1
    assert {action.agency.name for action in overdue_actions()} == {
        "Polres PPU",
        "Pengadilan Agama PPU",
        "Kejaksaan Negeri PPU",
    }
    assert partner_agency_of(User.objects.get(username="mitra-polres")).name == "Polres PPU"
