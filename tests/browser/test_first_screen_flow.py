"""A staff member signs in, finds this week's visits on the admin's first screen, opens
a quiz session that is taking answers and prints its poster from the session's page."""

from datetime import datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from tests.campaigns.factories import VisitFactory
from tests.quizzes.factories import QuizFactory, QuizSessionFactory
from tests.quizzes.qr_decode import decode_pdf_qr
from tests.schools.factories import SchoolFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_see_their_week_and_print_a_sessions_poster(desk, live_server):
    school = SchoolFactory(name="SD NEGERI 003 PENAJAM")
    today_at_nine = datetime.combine(
        timezone.localdate(), time(9), tzinfo=timezone.get_default_timezone()
    )
    VisitFactory(school=school, starts_at=today_at_nine,
                 facilitators=[get_user_model().objects.get(username="staf")])  # fmt: skip
    session = QuizSessionFactory(quiz=QuizFactory(title="Kuis Anti Perundungan"), school=school)

    desk.reload()  # the first screen, signed in
    expect(desk.locator("#week-visits-mine")).to_contain_text("SD NEGERI 003 PENAJAM")
    desk.locator("#open-sessions-section").get_by_role("link", name=session.code).click()
    expect(desk).to_have_url(f"{live_server.url}/admin/quizzes/sessions/edit/{session.pk}/")

    with desk.expect_response(f"{live_server.url}/q/{session.code}/poster.pdf") as poster:
        desk.get_by_role("link", name="Poster (PDF)").click()
    assert poster.value.headers["content-type"] == "application/pdf"
    # Chromium shows it in its PDF viewer; the same address, fetched, gives the file.
    [address] = decode_pdf_qr(desk.request.get(poster.value.url).body())
    assert address.endswith(f"/q/{session.code}/")
