"""The meeting pack: one A4 PDF for a coordination meeting, made by a Celery task.

It holds the reach figures of the period the meeting reviews, of its regency if it is
about one (monitoring.selectors.reach, the dashboard's own figures for the same
filters) with the map, the unreached schools and villages per kecamatan, the visits
planned for the 30 days from the meeting, every open follow-up action by agency (see
monitoring.meetings for which), the previous meeting's decisions, and a page to write
the new ones on.

Like the certificate bundles (quizzes/teacher.py): a row with a status that a task
fills; the PDF is made and stored outside any transaction, then the row is locked,
checked and filled. Asking again replaces the row (and its file) with a new one.

The pack names places and agencies, never a person: no facilitator, no contact.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from campaigns.models import VisitStatus
from campaigns.selectors import visits_between
from cms.district import local, local_today
from cms.files import row_fill_with_file
from cms.localtime import day_start, local_date
from cms.pdf import html_to_pdf, render_pdf_html
from monitoring.charts import reach_charts
from monitoring.meetings import open_actions_by_agency, previous_meeting
from monitoring.models import JobStatus, Meeting, MeetingPack
from monitoring.selectors import reach

# Visits planned for this many days from the meeting's day, of which the pack lists
# at most PLANNED_SHOWN (the soonest) and counts the rest: a district plans a few dozen
# a month, and each row costs the PDF time (the calendar lists them all).
PLANNED_DAYS = 30
PLANNED_SHOWN = 100
# A pack still pending after this long lost its task: asking again starts afresh.
PACK_STUCK_AFTER = timedelta(minutes=10)


def meeting_pack_request(*, meeting: Meeting, by) -> MeetingPack:
    """The meeting's pack, asked for now: a pending or ready pack is kept while it is
    fresh; otherwise a new one replaces it."""
    with transaction.atomic():
        # Serialise two clicks at once: one pack.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        old = MeetingPack.objects.filter(meeting=meeting).first()
        if old is not None and old.status == JobStatus.PENDING and not pack_stuck(old):
            return old
        if old is not None:
            old.delete()  # its file goes after commit (signal_handlers)
        pack = MeetingPack.objects.create(meeting=meeting, requested_by=by)
        _enqueue(pack.pk)
    return pack


def pack_stuck(pack: MeetingPack) -> bool:
    """Still pending after PACK_STUCK_AFTER: its task was lost (a broker down at
    commit, a worker killed), and asking again starts afresh."""
    return pack.status == JobStatus.PENDING and (
        pack.created_at < timezone.now() - PACK_STUCK_AFTER
    )


def _enqueue(pack_id: int) -> None:
    from monitoring import tasks

    # robust: a broker hiccup leaves the pack pending; asking again restarts it.
    transaction.on_commit(lambda: tasks.meeting_pack_render.delay(pack_id), robust=True)


def pack_context(meeting: Meeting) -> dict:
    regency = meeting.regency
    figures = reach(starts_on=meeting.reviews_from, ends_on=meeting.reviews_to, regency=regency)
    first_day = local_date(meeting.held_at)
    planned = (
        visits_between(
            start=day_start(first_day),
            end=day_start(first_day + timedelta(days=PLANNED_DAYS)),
            regency=regency,
        )
        .filter(status=VisitStatus.SCHEDULED)
        .prefetch_related("partners")
    )
    return {
        "meeting": meeting,
        "attendance": list(meeting.attendance.select_related("agency")),
        "reach": figures,
        "map": reach_charts(figures)["map"],
        "planned": list(planned[:PLANNED_SHOWN]),
        "planned_count": planned.count(),
        "planned_until": first_day + timedelta(days=PLANNED_DAYS - 1),
        "open_by_agency": open_actions_by_agency(regency=regency),
        "previous": previous_meeting(before=meeting.held_at, regency=regency),
        "new_actions": list(meeting.actions.select_related("agency")),
        "today": local_today(),
        "printed_at": local(timezone.now()),
        "show_facilitators": False,
    }


def pack_html(meeting: Meeting) -> str:
    """The pack as HTML, always in Indonesian and in the district's zone."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf_html("monitoring/meetings/pack.html", pack_context(meeting))


def meeting_pack_render(*, pack_id: int) -> None:
    """Fill the pack's PDF. Idempotent: a rerun finds it ready, or gone (replaced), and
    keeps no file of its own (cms.files.row_fill_with_file)."""
    pack = MeetingPack.objects.select_related("meeting__regency").filter(pk=pack_id).first()
    if pack is None or pack.status == JobStatus.READY:
        return
    row_fill_with_file(
        rows=MeetingPack.objects.all(),
        pk=pack_id,
        field_name="file",
        content=ContentFile(html_to_pdf(pack_html(pack.meeting))),
        file_name=f"paket-rapat-{pack.meeting_id}-{pack.pk}.pdf",
        done=lambda row: row.status == JobStatus.READY,
        values={"status": JobStatus.READY},
    )


def meeting_pack_mark_failed(*, pack_id: int) -> None:
    MeetingPack.objects.filter(pk=pack_id).exclude(status=JobStatus.READY).update(
        status=JobStatus.FAILED
    )
