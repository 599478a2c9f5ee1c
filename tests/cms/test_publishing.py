"""Editors publish materials through the Wagtail admin, as a new user would."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import Audience, MaterialPage, Topic
from cms.roles import EDITOR
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
        "action-publish": "publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    # Multiple choice fields are plain repeated keys, which nested_form_data would flatten.
    form["topics"] = [Topic.objects.get(slug="perundungan").pk]
    form["audiences"] = [Audience.objects.get(slug="siswa-smp").pk]
    return form


def test_editor_publishes_a_material_that_appears_in_the_library(
    editor_client, client, public_site, materials_index
):
    document = MaterialDocumentFactory()
    response = editor_client.post(
        f"/admin/pages/add/cms/materialpage/{materials_index.id}/", material_form(document)
    )
    assert response.status_code == 302, response.context["form"].errors
    page = MaterialPage.objects.get(slug="poster-baru-berani-bicara")
    assert page.live
    assert "Poster Baru: Berani Bicara" in client.get("/materi/").content.decode()
    assert f"/unduh/{document.id}/" in client.get(page.url).content.decode()


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
