"""The issue's walk through the coordination meetings in a real browser: staff open
last quarter's meeting and see its three overdue actions, build this quarter's pack,
then the Polres partner logs in and marks their action done with a note.

The locators are addresses, ids and values rather than words: the screens' new
strings are translated after this branch is merged."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cms.localtime import local_date
from monitoring import demo
from monitoring.models import ActionStatus, FollowUpAction, Meeting
from schools.regions import BUNDLED_REGIONS, region_import
from tests.downloads import pdf_text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_review_last_quarter_build_the_pack_and_polres_marks_its_action_done(
    desk, browser, live_server
):
    with open(BUNDLED_REGIONS, "rb") as regions:
        region_import(file=regions)
    demo.seed()  # last quarter's meeting: three overdue actions, a Polres partner user
    last = Meeting.objects.get()
    polres_action = FollowUpAction.objects.get(agency__name="Polres PPU")
    partner = get_user_model().objects.get(username="mitra-polres")
    partner.set_password("sandi-mitra-9")
    partner.save()

    # Staff: last quarter's meeting, its three overdue actions standing out.
    desk.locator("nav a[href='/admin/rapat/']").click()
    desk.locator(f"a[href='/admin/rapat/{last.pk}/']").click()
    expect(desk.locator("tr.action-overdue")).to_have_count(3)
    expect(desk.locator(".overdue-tag")).to_have_count(3)

    # This quarter's meeting and its pack.
    desk.goto(live_server.url + "/admin/rapat/baru/")
    desk.locator("#id_date").fill(timezone.localdate().isoformat())
    desk.locator("#id_time").fill("09:00")
    desk.locator("#id_place").fill("Aula Kantor Bupati")
    polres_people = f"#id_people_{polres_action.agency_id}"
    desk.locator(polres_people).fill("3")
    desk.locator("main form button[type=submit]").click()
    this = Meeting.objects.exclude(pk=last.pk).get()
    desk.wait_for_url(f"{live_server.url}/admin/rapat/{this.pk}/")
    # It reviews the time since the last meeting.
    assert this.reviews_from == local_date(last.held_at) + timedelta(days=1)
    assert this.attendance.get().people == 3
    desk.locator(f"main a[href='/admin/rapat/{this.pk}/paket/']").click()
    desk.locator("main form[method=post] button[type=submit]").click()
    with desk.expect_download() as download:
        desk.locator(f"a[href='/admin/rapat/{this.pk}/paket.pdf']").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(pdf_text(pdf).split())
    assert polres_action.what in text and "Aula Kantor Bupati" in text

    # The Polres partner marks their action done with a note.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    mitra = context.new_page()
    mitra.set_default_timeout(15_000)
    mitra.goto(live_server.url + "/admin/login/")
    mitra.locator("#id_username").fill("mitra-polres")
    mitra.locator("#id_password").fill("sandi-mitra-9")
    mitra.locator("main button[type=submit]").click()
    mitra.wait_for_url(live_server.url + "/admin/")
    # The first screen lists their agency's open action, and no other agency's.
    expect(mitra.locator("main")).to_contain_text(polres_action.what)
    assert mitra.get_by_text("Sosialisasi dispensasi kawin").count() == 0
    mitra.locator("nav a[href='/admin/tindak-lanjut/']").click()
    mitra.locator(f"a[href='/admin/tindak-lanjut/{polres_action.pk}/']").click()
    mitra.locator("#id_status").select_option(ActionStatus.DONE)
    mitra.locator("#id_note").fill("Patroli di 12 sekolah selesai; laporan terlampir.")
    mitra.locator("#id_attachment").set_input_files(
        files=[{"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    mitra.locator("main form button[type=submit]").click()
    expect(mitra.locator(".action-history")).to_contain_text("Patroli di 12 sekolah selesai")
    expect(mitra.locator(".action-history a", has_text="laporan.pdf")).to_be_visible()
    polres_action.refresh_from_db()
    assert polres_action.status == ActionStatus.DONE
    update = polres_action.updates.last()
    assert (update.by, update.by_agency.name) == (partner, "Polres PPU")
    # Another agency's action is a plain 403 for them.
    other = FollowUpAction.objects.get(agency__name="Pengadilan Agama PPU")
    assert mitra.request.get(f"{live_server.url}/admin/tindak-lanjut/{other.pk}/").status == 403
    context.close()
