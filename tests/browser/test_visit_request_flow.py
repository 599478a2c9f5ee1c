from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Visit
from tests.schools.factories import DistrictFactory, SchoolFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_asks_for_a_session_on_a_phone_without_javascript(
    phone, live_server, public_site
):
    district = DistrictFactory(code="64.09.03", name="Babulu")
    school = SchoolFactory(npsn="30401950", name="SD NEGERI 001 BABULU", district=district)
    SchoolFactory(npsn="30401954", name="SD NEGERI 002 BABULU", district=district)

    # A headteacher finds the form from the home page.
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Ajukan sosialisasi ke sekolah atau desa Anda").first.click()
    phone.wait_for_url(live_server.url + "/sosialisasi/ajukan/")
    phone.get_by_label("Sekolah: NPSN atau nama").fill("sdn babulu")
    phone.get_by_label("Nama Anda").fill("Bu Ratna")
    phone.get_by_label("Nomor telepon atau WhatsApp").fill("0812 3456 7890")
    phone.get_by_label("Tanggal yang diinginkan").fill("2099-01-01")
    phone.get_by_label("Perkiraan jumlah peserta").fill("120")
    phone.get_by_role("button", name="Kirim permintaan").click()

    # Two schools match and the date is too far: both explained, nothing typed lost.
    assert phone.get_by_text("Ada beberapa sekolah yang cocok").is_visible()
    assert phone.get_by_text("Pilih tanggal dalam satu tahun ke depan.").is_visible()
    assert phone.get_by_label("Nama Anda").input_value() == "Bu Ratna"
    phone.get_by_label("SD NEGERI 001 BABULU (30401950)").check()
    next_week = timezone.localdate() + timedelta(days=7)
    phone.get_by_label("Tanggal yang diinginkan").fill(next_week.isoformat())
    phone.get_by_role("button", name="Kirim permintaan").click()

    heading = "Terima kasih, permintaan Anda sudah terkirim"
    assert phone.get_by_role("heading", name=heading).is_visible()
    visit = Visit.objects.get()
    assert (visit.school, visit.status) == (school, "requested")
    assert phone.get_by_text(visit.reference).is_visible()
