import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import MaterialDocument
from tests.cms.factories import MaterialDocumentFactory, make_material


@pytest.fixture
def material(materials_index):
    return make_material(materials_index, title="Poster")


@pytest.fixture
def document(material):
    return material.files.first().document


def download(client, document):
    return client.get(f"/unduh/{document.id}/{document.filename}")


def test_download_serves_the_file_and_counts_it(client, document):
    response = download(client, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="materi.pdf"' in response["Content-Disposition"]
    download(client, document)
    document.refresh_from_db()
    assert document.download_count == 2


def test_wagtails_document_address_counts_too(client, document):
    """Editors copy links from the admin, which point at /documents/<id>/<file>."""
    response = client.get(f"/documents/{document.id}/{document.filename}")
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.download_count == 1
    assert client.get(f"/documents/{document.id}/lain.pdf").status_code == 404
    document.refresh_from_db()
    assert document.download_count == 1


def test_count_is_added_in_the_database_not_in_python(client, document):
    download(client, document)  # creates today's row
    with CaptureQueriesContext(connection) as queries:
        download(client, document)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2
    assert '"download_count" = ("cms_materialdocument"."download_count" + 1)' in updates[0]
    assert '"count" = ("cms_documentdownloadday"."count" + 1)' in updates[1]


def test_downloads_are_counted_per_day_in_wita(client, document, time_machine):
    # 23:30 WITA is 15:30 UTC: still the 1st in Penajam; 00:30 WITA is the 2nd.
    time_machine.move_to(datetime.datetime(2026, 9, 1, 15, 30, tzinfo=datetime.UTC))
    download(client, document)
    download(client, document)
    time_machine.move_to(datetime.datetime(2026, 9, 1, 16, 30, tzinfo=datetime.UTC))
    download(client, document)
    days = dict(document.download_days.values_list("day", "count"))
    assert days == {datetime.date(2026, 9, 1): 2, datetime.date(2026, 9, 2): 1}
    document.refresh_from_db()
    assert document.download_count == 3


def test_count_shows_on_the_material_page_and_in_the_editor(
    admin_client, client, material, document
):
    download(client, document)
    assert "diunduh 1 kali" in client.get(material.url).content.decode()
    editor = admin_client.get(f"/admin/pages/{material.id}/edit/").content.decode()
    assert "1 unduhan" in editor


@pytest.mark.parametrize(
    "path",
    [
        "/unduh/999999/poster.pdf",
        "/unduh/{id}/nama-lain.pdf",
        "/unduh/abc/poster.pdf",
        "/unduh/{id}/",
    ],
)
def test_bad_download_addresses_are_404_and_count_nothing(client, document, path):
    response = client.get(path.format(id=document.id))
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.download_count == 0
    assert not document.download_days.exists()


# serialized_rollback: restore the rows that migrations created (topics, roles...) after
# the flush that ends a transactional test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_downloads_lose_no_count():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database; SQLite serialises them")
    document = MaterialDocumentFactory()

    def fetch(_):
        try:
            return Client().get(f"/unduh/{document.id}/{document.filename}").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(40)))
    assert statuses == [200] * 40
    assert MaterialDocument.objects.get(pk=document.pk).download_count == 40
    # Racing to create the day's row loses nothing either.
    assert list(document.download_days.values_list("count", flat=True)) == [40]
