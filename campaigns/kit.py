"""The session kit: one printable A4 PDF per visit with the agenda, the team, the
materials and their download links, and an empty attendance sheet.

Each section is a template listed in SECTIONS, printed in order, with its data from
session_kit_context(). Then a question sheet and, last, a QR poster for each quiz
session of the visit.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Visit
from cms.district import local
from cms.links import absolute_url
from cms.models import MaterialPage
from cms.pdf import render_to_pdf
from cms.selectors import file_queryset
from quizzes.selectors import session_poster, session_question_sheet, sessions_for_visit

SECTIONS = [
    "campaigns/pdf/kit_agenda.html",
    "campaigns/pdf/kit_team.html",
    "campaigns/pdf/kit_materials.html",
    "campaigns/pdf/kit_attendance.html",
    "campaigns/pdf/kit_quiz_sheets.html",
    "campaigns/pdf/kit_quiz_posters.html",
]

OPENING, DISCUSSION, CLOSING = 10, 15, 10  # minutes
ATTENDANCE_ROWS = (20, 200)  # fewest and most rows printed


def session_kit_pdf(*, visit: Visit) -> bytes:
    """Printed for the school or village, so always in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_pdf("campaigns/pdf/session_kit.html", session_kit_context(visit))


def session_kit_context(visit: Visit) -> dict:
    topics = list(visit.topics.all()) or list(visit.campaign.topics.all())
    expected = visit.expected_participants or 30
    rows = min(max(expected, ATTENDANCE_ROWS[0]), ATTENDANCE_ROWS[1])
    sessions = list(sessions_for_visit(visit))
    return {
        "visit": visit,
        "starts_at": local(visit.starts_at),
        "ends_at": local(visit.ends_at),
        "facilitators": list(visit.facilitators.all()),
        "partners": list(visit.partners.all()),
        "audiences": list(visit.audiences.all()),
        "topics": topics,
        "agenda": agenda(visit, topics),
        "materials": materials(visit),
        "attendance_rows": range(1, rows + 1),
        "quiz_posters": [session_poster(session) for session in sessions],
        # The numbered answer sheets are printed from the session's admin screen: each
        # print takes new numbers, which a kit downloaded twice would not.
        "question_sheets": [session_question_sheet(session) for session in sessions],
        "sections": SECTIONS,
        "printed_at": local(timezone.now()),
    }


def agenda(visit: Visit, topics) -> list[tuple[str, str]]:
    """(time, item) rows: opening, one slot per topic (in whole 5 minutes), discussion
    for what is left, and closing."""
    start, end = local(visit.starts_at), local(visit.ends_at)
    minutes = int((end - start).total_seconds() // 60)
    names = [topic.name for topic in topics] or [_("Awareness material")]
    for_topics = max(minutes - OPENING - DISCUSSION - CLOSING, 5 * len(names))
    per_topic = max(for_topics // len(names) // 5 * 5, 5)
    rows = [(start, _("Opening, prayer and introductions"))]
    moment = start + timedelta(minutes=OPENING)
    for name in names:
        rows.append((moment, _("Material: %(topic)s") % {"topic": name}))
        moment += timedelta(minutes=per_topic)
    rows.append((moment, _("Discussion, questions and answers")))
    rows.append(
        (max(end - timedelta(minutes=CLOSING), moment), _("Closing, photos and attendance list"))
    )
    return [(f"{moment:%H:%M}", item) for moment, item in rows]


def materials(visit: Visit) -> list[dict]:
    """The visit's materials (else the campaign's), each with short absolute links
    to its files through the counting /unduh/ address."""
    pages = visit.materials.all() if visit.materials.exists() else visit.campaign.materials.all()
    pages = (
        MaterialPage.objects.filter(pk__in=pages.values("pk"))
        .live()
        .prefetch_related(Prefetch("files", queryset=file_queryset()))
        .order_by("title")
    )
    return [
        {
            "title": page.title,
            "summary": page.summary,
            "files": [
                {
                    "label": file.label or file.document.title,
                    "url": absolute_url(
                        reverse("download", args=[file.document.id, file.document.filename])
                    ),
                }
                for file in page.files.all()
            ],
        }
        for page in pages
    ]
