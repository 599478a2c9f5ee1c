"""After a visit: attendance, notes and photos, and the status changes."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from campaigns.models import Visit, VisitPhoto, VisitStatus
from tests.campaigns.factories import VisitFactory, wita

pytestmark = pytest.mark.django_db
AFTER = wita(2026, 5, 12, 14)


def photo(name="foto.jpg", size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def attendance(**overrides):
    data = {
        "students_male": "40",
        "students_female": "45",
        "teachers_male": "2",
        "teachers_female": "4",
        "parents_male": "",
        "parents_female": "",
        "others": "2",
        "notes": "Siswa aktif bertanya tentang perundungan siber.",
        "photo_consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def visit(school, campaign, staff):
    return VisitFactory(school=school, campaign=campaign, facilitators=[staff])


def record(client, visit, data):
    return client.post(reverse("visits:record", args=[visit.pk]), data)


@time_machine.travel(AFTER, tick=False)
def test_recording_with_photos_marks_the_visit_done(staff_client, staff, visit):
    response = record(staff_client, visit, attendance(photos=[photo("a.jpg"), photo("b.jpg")]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert (visit.students_male, visit.teachers_female, visit.parents, visit.participants) == (
        40, 4, 0, 93,
    )  # fmt: skip
    assert visit.photos.count() == 2
    image = visit.photos.first().image
    assert image.collection.name == "Foto kunjungan"
    assert image.uploaded_by_user == staff
    assert visit.status_changes.last().changed_by == staff
    page = staff_client.get(reverse("visits:inspect", args=[visit.pk])).content.decode()
    assert "93" in page and "perundungan siber" in page


@time_machine.travel(AFTER, tick=False)
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("students_male", "-3", "Jumlah orang tidak boleh negatif."),
        ("teachers_female", "5001", "Paling banyak 5.000 orang. Periksa lagi angkanya."),
        ("others", "dua", "Masukkan keseluruhan angka bilangan."),
    ],
)
def test_bad_attendance_is_refused_and_the_rest_is_kept(staff_client, visit, field, value, message):
    response = record(staff_client, visit, attendance(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "perundungan siber" in html  # the notes typed are still there
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SCHEDULED


@time_machine.travel(AFTER, tick=False)
def test_no_attendance_at_all_is_refused(staff_client, visit):
    empty = {name: "" for name in attendance() if name != "notes"}
    html = record(staff_client, visit, empty).content.decode()
    assert "Isi jumlah orang yang hadir." in html


@time_machine.travel(AFTER, tick=False)
def test_a_non_image_is_refused(staff_client, visit):
    fake = SimpleUploadedFile("laporan.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    html = record(staff_client, visit, attendance(photos=[photo(), fake])).content.decode()
    assert "laporan.jpg bukan foto (gunakan JPG, PNG, GIF, atau WEBP)." in html
    assert "Pilih lagi foto-fotonya" in html
    assert not VisitPhoto.objects.exists()
    assert not get_image_model().objects.exists()


@time_machine.travel(AFTER, tick=False)
def test_an_oversized_photo_is_refused(staff_client, visit):
    big = SimpleUploadedFile("besar.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    html = record(staff_client, visit, attendance(photos=[big])).content.decode()
    assert "Ukuran besar.jpg 10,0\xa0MB; satu foto paling besar 10,0\xa0MB." in html
    assert not VisitPhoto.objects.exists()


@time_machine.travel(AFTER, tick=False)
def test_a_visit_keeps_at_most_ten_photos(staff_client, visit):
    record(staff_client, visit, attendance(photos=[photo(f"{n}.jpg") for n in range(8)]))
    assert visit.photos.count() == 8
    html = record(
        staff_client, visit, attendance(photos=[photo(f"x{n}.jpg") for n in range(3)])
    ).content.decode()
    assert "tambahkan paling banyak 2 lagi" in html
    assert visit.photos.count() == 8
    # Removing two makes room for three more.
    remove = list(visit.photos.values_list("pk", flat=True)[:2])
    response = record(
        staff_client,
        visit,
        attendance(photos=[photo(f"y{n}.jpg") for n in range(3)], remove_photos=remove),
    )
    assert response.status_code == 302
    assert visit.photos.count() == 9
    assert get_image_model().objects.count() == 9


@time_machine.travel(wita(2026, 5, 11, 14), tick=False)
def test_a_visit_cannot_be_recorded_before_its_day(staff_client, visit):
    html = record(staff_client, visit, attendance()).content.decode()
    assert "catat hasilnya pada hari itu atau sesudahnya" in html


@time_machine.travel(AFTER, tick=False)
def test_cancelling_needs_a_reason_and_is_logged(staff_client, staff, visit):
    url = reverse("visits:status", args=[visit.pk])
    refused = staff_client.post(url, {"status": "cancelled", "reason": ""})
    assert "Tuliskan alasannya" in refused.content.decode()
    done = staff_client.post(url, {"status": "cancelled", "reason": "Banjir di jalan <desa>"})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.status_reason) == ("cancelled", "Banjir di jalan <desa>")
    change = visit.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "scheduled",
        "cancelled",
        staff,
    )
    page = staff_client.get(reverse("visits:inspect", args=[visit.pk])).content.decode()
    assert "Banjir di jalan &lt;desa&gt;" in page


def test_the_status_form_offers_only_the_allowed_moves(staff_client, visit):
    html = staff_client.get(reverse("visits:status", args=[visit.pk])).content.decode()
    assert 'value="postponed"' in html and 'value="cancelled"' in html
    assert 'value="done"' not in html and 'value="requested"' not in html
    bad = staff_client.post(
        reverse("visits:status", args=[visit.pk]), {"status": "requested", "reason": ""}
    )
    assert bad.status_code == 200
    visit.refresh_from_db()
    assert visit.status == "scheduled"


def test_unknown_visits_are_404(staff_client):
    for name in ("inspect", "status", "record", "kit", "edit"):
        assert staff_client.get(reverse(f"visits:{name}", args=[999999])).status_code == 404


@time_machine.travel(AFTER, tick=False)
def test_deleting_a_visit_deletes_its_photos_images(staff_client, admin_user, client, visit):
    record(staff_client, visit, attendance(photos=[photo("a.jpg"), photo("b.jpg")]))
    assert get_image_model().objects.count() == 2
    client.force_login(admin_user)
    response = client.post(reverse("visits:delete", args=[visit.pk]))
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert not get_image_model().objects.exists()


@time_machine.travel(AFTER, tick=False)
def test_a_photo_is_kept_small_upright_and_without_its_location(staff_client, visit):
    """A phone photo lying on its side (EXIF orientation 6) with GPS data: it is kept
    upright, at most 2048 pixels a side, and with no EXIF left."""
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x8825] = {2: (1.0, 17.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    PILImage.new("RGB", (4000, 3000), (200, 80, 40)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("miring.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert record(staff_client, visit, attendance(photos=[upload])).status_code == 302
    image = visit.photos.get().image
    assert (image.width, image.height) == (1500, 2000)
    with image.open_file() as stored, PILImage.open(stored) as kept:
        assert kept.size == (1500, 2000)
        assert not kept.getexif()


@time_machine.travel(AFTER, tick=False)
def test_photos_need_the_schools_or_parents_consent(staff_client, staff, visit):
    data = attendance(photos=[photo("a.jpg")])
    del data["photo_consent"]
    html = record(staff_client, visit, data).content.decode()
    assert "Pastikan sekolah atau orang tua sudah setuju" in html
    assert "perundungan siber" in html
    assert not VisitPhoto.objects.exists()

    record(staff_client, visit, attendance(photos=[photo("a.jpg")]))
    kept = VisitPhoto.objects.get()
    assert (kept.consent_confirmed_by, kept.consent_confirmed_at) == (staff, AFTER)


def test_the_service_refuses_photos_without_consent(staff, visit):
    from django.core.exceptions import ValidationError

    from campaigns.services import visit_record

    with time_machine.travel(AFTER, tick=False), pytest.raises(ValidationError):
        visit_record(visit=visit, by=staff, attendance={"teachers_male": 3}, new_photos=[photo()])
    assert not VisitPhoto.objects.exists()
