import pytest
from playwright.sync_api import expect

from schools.models import District, School
from schools.regions import BUNDLED_REGIONS, region_import
from tests.schools.factories import DAPODIK_HEADER, xlsx_file


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_imports_a_dapodik_xlsx_and_finds_the_schools_by_kecamatan(
    desk, live_server, tmp_path
):
    with open(BUNDLED_REGIONS, "rb") as regions:
        region_import(file=regions)
    path = tmp_path / "dapodik.xlsx"
    path.write_bytes(
        xlsx_file(
            [
                ["Data Satuan Pendidikan"],
                DAPODIK_HEADER,
                [
                    30401950,
                    "SD NEGERI 001 BABULU",
                    "SD",
                    "Negeri",
                    "",
                    "Babulu Darat",
                    "Kec. Babulu",
                    -1.5051,
                    116.4539,
                ],
                [1234, "SD NPSN SALAH", "SD", "Negeri", "", "", "Babulu", None, None],
                [
                    30401963,
                    "SMP NEGERI 1 PENAJAM",
                    "SMP",
                    "Negeri",
                    "",
                    "Kel. Penajam",
                    "Penajam",
                    None,
                    None,
                ],
            ]  # fmt: skip
        ).getvalue()
    )

    desk.goto(live_server.url + "/admin/schools/")
    desk.get_by_role("link", name="Impor dari berkas").click()
    desk.get_by_label("Berkas").set_input_files(path)
    desk.get_by_role("button", name="Periksa berkas").click()

    expect(desk.get_by_text("NPSN '1234' tidak tepat 8 angka.")).to_be_visible()
    assert School.objects.count() == 0
    desk.get_by_role("button", name="Impor 2 sekolah baru dan 0 sekolah yang diperbarui").click()
    expect(desk.get_by_text("Diimpor: 2 sekolah baru dan 0 sekolah diperbarui.")).to_be_visible()
    assert set(School.objects.values_list("npsn", flat=True)) == {"30401950", "30401963"}

    babulu = District.objects.get(name="Babulu")
    desk.goto(f"{live_server.url}/admin/schools/?district={babulu.pk}")
    expect(desk.get_by_role("link", name="SD NEGERI 001 BABULU")).to_be_visible()
    assert desk.get_by_role("link", name="SMP NEGERI 1 PENAJAM").count() == 0
