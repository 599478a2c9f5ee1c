"""Editors write materials in the Wagtail admin and submit them for review; outreach
staff or the admin approve them, which publishes them. As a new user would."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import Audience, MaterialPage, Topic
from cms.roles import ADMIN, EDITOR, PARTNER, STAFF
from tests.cms.factories import MaterialDocumentFactory


@pytest.fixture
def editor_client(role_clients):
    return role_clients(EDITOR)


def material_form(document, **overrides):
    data = {
        "title": "Poster Baru: Berani Bicara",
        "slug": "poster-baru-berani-bicara",
        "summary": "Ajak siswa bercerita kepada guru.",
        "body": rich_text("<p>Isi poster.</p>"),
        "format": "poster",
        "files": inline_formset([{"document": document.pk, "label": ""}], min=1),
        "video_url": "",
        "video_text_alternative": "",
        "action-submit": "submit",
    }
    data.update(overrides)
    form = nested_form_data(data)
    # Multiple choice fields are plain repeated keys, which nested_form_data would flatten.
    form["topics"] = [Topic.objects.get(slug="perundungan").pk]
    form["audiences"] = [Audience.objects.get(slug="siswa-smp").pk]
    return form


def approve(client, page):
    task_state = page.current_workflow_state.current_task_state
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
    )


@pytest.mark.parametrize("approver", [STAFF, ADMIN])
def test_an_editors_material_goes_live_once_staff_approve_it(
    role_clients, client, public_site, materials_index, approver
):
    document = MaterialDocumentFactory()
    response = role_clients(EDITOR).post(
        f"/admin/pages/add/cms/materialpage/{materials_index.id}/", material_form(document)
    )
    assert response.status_code == 302, response.context["form"].errors
    page = MaterialPage.objects.get(slug="poster-baru-berani-bicara")
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    assert "Poster Baru" not in client.get("/materi/").content.decode()

    # The approver finds it on the admin's first screen.
    assert "Poster Baru: Berani Bicara" in role_clients(approver).get("/admin/").content.decode()
    assert approve(role_clients(approver), page).status_code == 302
    page.refresh_from_db()
    assert page.live
    assert "Poster Baru: Berani Bicara" in client.get("/materi/").content.decode()
    assert f"/unduh/{document.id}/" in client.get(page.url).content.decode()


@pytest.mark.parametrize("role", [EDITOR, PARTNER])
def test_editors_and_partners_cannot_approve(role_clients, materials_index, role):
    document = MaterialDocumentFactory()
    role_clients(EDITOR).post(
        f"/admin/pages/add/cms/materialpage/{materials_index.id}/", material_form(document)
    )
    page = MaterialPage.objects.get(slug="poster-baru-berani-bicara")
    approve(role_clients(role), page)
    page.refresh_from_db()
    assert not page.live


def test_an_editor_cannot_publish_directly(role_clients, materials_index):
    document = MaterialDocumentFactory()
    data = material_form(document)
    del data["action-submit"]
    data["action-publish"] = "publish"
    role_clients(EDITOR).post(f"/admin/pages/add/cms/materialpage/{materials_index.id}/", data)
    page = MaterialPage.objects.get(slug="poster-baru-berani-bicara")
    assert not page.live


def test_a_material_needs_a_file_a_topic_and_an_audience(editor_client, materials_index):
    document = MaterialDocumentFactory()
    data = material_form(document)
    data.update(nested_form_data({"files": inline_formset([], min=1)}))
    data["topics"] = data["audiences"] = []
    response = editor_client.post(f"/admin/pages/add/cms/materialpage/{materials_index.id}/", data)
    assert response.status_code == 200
    assert not MaterialPage.objects.exists()
    form = response.context["form"]
    assert "topics" in form.errors and "audiences" in form.errors
    assert form.formsets["files"].non_form_errors()
