"""Accessibility, measured in Chromium: axe-core on every public page, the student's
quiz pages and the admin screens this project adds (no serious or critical violation,
at 360 and 1280 px), and on a 360 px phone every public tap target at least 44 px high.

axe-core comes from npm (package.json; `npm ci`). Axe and the measurements need
JavaScript, so these pages are opened in contexts with it on; the public pages use none
of their own (tests/cms/test_page_weight.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone

from cms.roles import STAFF
from tests.campaigns.factories import CampaignFactory, VisitFactory
from tests.cms.factories import make_material
from tests.conftest import require_in_ci
from tests.monitoring.reach_data import attempt
from tests.schools.factories import DistrictFactory, SchoolFactory

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [360, 1280]
BLOCKING = {"serious", "critical"}
MIN_TARGET = 44

# The tap-target rule (WCAG 2.5.5 at 44 px, with 2.5.8's inline exemption): every
# visible link, button, field and summary is at least 44 px high, and a radio or
# checkbox through the label wrapping it (the label is what the thumb hits). A link
# inside running text (its parent holds text of its own) is exempt: its height is the
# sentence's line height. Hidden controls (honeypot: aria-hidden, tabindex -1) and the
# skip link (off screen until focused; measured focused below) are left out.
MARK_TARGETS = """() => {
  const targets = [];
  const hidden = (el) => el.closest('[aria-hidden="true"]') || el.tabIndex < 0;
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.type === 'hidden' || hidden(el) || el.classList.contains('skip')) continue;
    if (!el.getClientRects().length) continue;
    let target = el;
    if (el.type === 'radio' || el.type === 'checkbox') {
      target = el.closest('label') || document.querySelector(`label[for="${el.id}"]`) || el;
    } else if (el.tagName === 'A') {
      const ownText = [...el.parentElement.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
      if (ownText) continue;
    }
    target.dataset.tap = targets.length;
    targets.push((target.textContent.trim() || target.outerHTML).slice(0, 60));
  }
  return targets;
}"""


# Elements of our content that run off the right of the screen, except inside a box
# that scrolls or clips them, and data tables, which WCAG 1.4.10 (reflow) exempts.
OFF_SCREEN = """() => {
  const clipped = (el) => {
    for (let up = el.parentElement; up && up.tagName !== 'MAIN'; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((el) => !el.closest('table') && !clipped(el))
    .map((el) => el.outerHTML.slice(0, 80));
}"""


def requires_axe():
    if not AXE.exists():
        require_in_ci("the accessibility tests need axe-core: run `npm ci`")


def axe_violations(page, include=None) -> list[str]:
    """axe's serious and critical violations on the page (or inside `include`, a CSS
    selector), one line each with the elements concerned."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "(include) => axe.run(include ? {include: [include]} : document,"
        " {resultTypes: ['violations']})",
        include,
    )
    return [
        f"{v['impact']} {v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def small_targets(page) -> list[str]:
    names = page.evaluate(MARK_TARGETS)
    assert names, "no tap target found"
    small = []
    for index, name in enumerate(names):
        box = page.locator(f'[data-tap="{index}"]').bounding_box()
        if box["height"] < MIN_TARGET:
            small.append(f"{name!r}: {box['height']:.0f} px")
    return small


def check_public_page(page, width, failures):
    label = f"{width} px {page.url}"
    failures += [f"{label}: {line}" for line in axe_violations(page)]
    # axe leaves aria-describedby naming a missing id to review by hand: checked here.
    missing = page.evaluate(
        "[...document.querySelectorAll('[aria-describedby]')].flatMap((el) =>"
        " el.getAttribute('aria-describedby').split(/\\s+/)"
        ".filter((id) => !document.getElementById(id)))"
    )
    failures += [f"{label}: aria-describedby names no element #{id}" for id in missing]
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        failures.append(f"{label}: {overflow} px wide")
    if width == 360:
        failures += [f"{label}: target {line}" for line in small_targets(page)]


@pytest.fixture
def browse(browser):
    """A browser context of the given width, JavaScript on and the site's Content
    Security Policy bypassed, both for axe's script only."""
    contexts = []

    def open_page(width):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="id-ID", bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_pass_axe_and_have_44px_targets(browse, live_server, public_site, width):
    requires_axe()
    material = make_material(
        public_site.get_children().get(slug="materi").specific,
        title="Poster Stop Perundungan",
        body='<p>Baca juga <a href="/bantuan/">halaman bantuan</a> bersama murid.</p>',
    )
    district = DistrictFactory(code="64.09.03", name="Babulu")
    SchoolFactory(npsn="30401950", name="SD NEGERI 001 BABULU", district=district)
    SchoolFactory(npsn="30401954", name="SD NEGERI 002 BABULU", district=district)
    page = browse(width)
    failures = []

    for path in ["/", "/materi/", material.url, "/bantuan/", "/halaman-yang-tidak-ada/"]:
        page.goto(live_server.url + path)
        check_public_page(page, width, failures)

    # The request form as a headteacher meets it: first with two matching schools to
    # choose from (radios), then sent.
    page.goto(live_server.url + "/sosialisasi/ajukan/")
    check_public_page(page, width, failures)
    page.get_by_label("Sekolah: NPSN atau nama").fill("sdn babulu")
    page.get_by_label("Nama Anda").fill("Bu Ratna")
    page.get_by_label("Nomor telepon atau WhatsApp").fill("0812 3456 7890")
    next_week = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Tanggal yang diinginkan").fill(next_week.isoformat())
    page.get_by_label("Perkiraan jumlah peserta").fill("120")
    page.get_by_role("button", name="Kirim permintaan").click()
    page.get_by_label("SD NEGERI 001 BABULU (30401950)").wait_for()
    check_public_page(page, width, failures)
    page.get_by_label("SD NEGERI 001 BABULU (30401950)").check()
    page.get_by_role("button", name="Kirim permintaan").click()
    reference = page.locator(".reference")
    reference.wait_for()
    check_public_page(page, width, failures)
    # The reference number stays on one line, dash included.
    line_height = reference.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    if reference.bounding_box()["height"] > 1.5 * line_height:
        failures.append(f"{width} px: the reference {reference.inner_text()} wraps")

    # The skip link, once focused, is a target like the rest.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    if skip.bounding_box()["height"] < MIN_TARGET:
        failures.append(f"{width} px: the skip link is {skip.bounding_box()['height']} px high")

    assert not failures, "\n".join(failures)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_student_quiz_pages_pass_axe_and_have_44px_targets(browse, live_server, public_site, width):
    requires_axe()
    from tests.quizzes.factories import QuizSessionFactory

    session = QuizSessionFactory(school=SchoolFactory(name="SMP Negeri 1 Penajam"))
    checked = attempt(session, 90, certificate=True).certificate
    page = browse(width)
    failures = []

    page.goto(f"{live_server.url}/q/{session.code}/")
    check_public_page(page, width, failures)
    # Sent with a missing answer: the form again, with its error messages.
    page.get_by_role("button", name="Kirim jawabanku").click()
    page.locator(".errorlist").first.wait_for()
    check_public_page(page, width, failures)
    page.get_by_label("Kelasmu").fill("8B")
    page.get_by_label("Menyakiti berulang").check()
    page.get_by_label("Mengejek terus").check()
    page.get_by_label("Benar", exact=True).check()  # wrong: the result explains
    page.get_by_role("button", name="Kirim jawabanku").click()
    page.wait_for_url(f"**/q/{session.code}/hasil/**")
    assert page.get_by_text("Jawaban yang tepat: Salah").is_visible()
    check_public_page(page, width, failures)

    page.goto(f"{live_server.url}/v/{checked.code}/")
    assert page.get_by_text("Sertifikat sah").is_visible()
    check_public_page(page, width, failures)

    assert not failures, "\n".join(failures)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_project_admin_screens_pass_axe(browse, live_server, world, django_user_model, width):
    """Scoped to the content region Wagtail gives our views (`main`): its sidebar menu
    and skip links are Wagtail's own, out of this project's reach."""
    requires_axe()
    user = django_user_model.objects.create_user(username="staf", password="sandi-rahasia-9")
    user.groups.add(Group.objects.get(name=STAFF))
    VisitFactory(school=world.a, campaign=world.k1, starts_at=timezone.now() + timedelta(days=1))
    # A campaign name as long as real ones, for the dashboard's filter on a phone.
    CampaignFactory(name="Sosialisasi Pencegahan Perkawinan Anak dan Kekerasan Seksual 2026")
    visit = world.pre.visit
    page = browse(width)
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("staf")
    page.locator("#id_password").fill("sandi-rahasia-9")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    failures = []
    for path in [
        "/admin/jangkauan/",
        "/admin/kunjungan/kalender/",
        f"/admin/kunjungan/inspect/{visit.pk}/",
        f"/admin/quizzes/sessions/{world.pre.pk}/results/",
        f"/admin/quizzes/sessions/{world.pre.pk}/projector/",
        "/admin/schools/import/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # The projector is a page of its own, without Wagtail's chrome: all of it.
        include = "main" if page.locator("main").count() else None
        failures += [f"{width} px {path}: {line}" for line in axe_violations(page, include)]
        if width == 360:
            failures += [
                f"{width} px {path}: off screen {tag}" for tag in page.evaluate(OFF_SCREEN)
            ]
    assert not failures, "\n".join(failures)
