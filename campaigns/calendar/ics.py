"""Visits as iCalendar (RFC 5545) feeds that phones' calendar apps subscribe to.

Each visit keeps its UID; its SEQUENCE rises when it moves or changes status, so
apps update their copy; cancelled and postponed visits stay in the feed as
STATUS:CANCELLED so that apps remove them. Times carry the district's zone with its
VTIMEZONE.
"""

import functools
import zoneinfo
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from campaigns.calendar.models import CalendarFeed
from campaigns.calendar.selectors import feed_visits
from campaigns.models import Visit, VisitStatus
from cms.district import district_zone, local, local_today

ICS_STATUS = {
    VisitStatus.REQUESTED: "TENTATIVE",
    VisitStatus.SCHEDULED: "CONFIRMED",
    VisitStatus.DONE: "CONFIRMED",
    VisitStatus.CANCELLED: "CANCELLED",
    VisitStatus.POSTPONED: "CANCELLED",
}


# Phones poll feeds every hour or so and building one is costly icalendar takes about
# a millisecond per event), so a built feed is kept until one of its visits changes
# (their count, latest update or calendar revisions), or FEED_CACHE_SECONDS at most:
# a renamed school or partner agency shows within that time.
FEED_CACHE_SECONDS = 15 * 60


def feed_ics(feed: CalendarFeed) -> bytes:
    """A staff member's feed has their visits with the contact person to call; a
    campaign's feed may be shared with partner agencies, so it leaves contacts out."""
    visits = feed_visits(feed)
    state = visits.order_by().aggregate(
        count=Count("pk"), last=Max("updated_at"), sequences=Sum("ics_sequence")
    )
    last = state["last"] and state["last"].timestamp()
    key = f"campaigns:ics:{feed.pk}:{state['count']}:{state['sequences']}:{last}"
    body = cache.get(key)
    if body is None:
        with translation.override(settings.LANGUAGE_CODE):
            if feed.user_id:
                name = _("Sekolah Aman visits: %(name)s") % {
                    "name": feed.user.get_full_name() or feed.user.get_username()
                }
            else:
                name = _("Sekolah Aman: %(campaign)s") % {"campaign": feed.campaign.name}
            body = visits_ics(visits, name=name, with_contacts=bool(feed.user_id))
        cache.set(key, body, FEED_CACHE_SECONDS)
    return body


def visits_ics(visits, *, name: str, with_contacts: bool) -> bytes:
    """`visits` as from feed_visits()."""
    calendar = Calendar()
    calendar.add("prodid", "-//Sekolah Aman//Kunjungan sosialisasi//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    zone_name = district_zone().key
    calendar.add("x-wr-timezone", zone_name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(_vtimezone(zone_name, local_today().year))
    stamp = timezone.now()
    for visit in visits:
        calendar.add_component(_event(visit, stamp=stamp, with_contacts=with_contacts))
    return calendar.to_ical()


@functools.cache
def _vtimezone(zone_name: str, year: int) -> Timezone:
    """The district zone's VTIMEZONE for the years a phone will show (icalendar would
    cover 1970-2038 and rebuild it for every feed)."""
    return Timezone.from_tzinfo(
        zoneinfo.ZoneInfo(zone_name),
        first_date=date(year - 2, 1, 1),
        last_date=date(year + 3, 1, 1),
    )


def _event(visit: Visit, *, stamp, with_contacts: bool) -> Event:
    target = visit.target
    event = Event()
    event.add("uid", f"{visit.uid}@sekolah-aman")
    event.add("dtstamp", stamp)
    event.add("last-modified", visit.updated_at)
    event.add("sequence", visit.ics_sequence)
    event.add("status", ICS_STATUS[visit.status])
    event.add("dtstart", local(visit.starts_at))
    event.add("dtend", local(visit.ends_at))
    summary = _("Outreach: %(target)s") % {"target": target}
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.POSTPONED):
        summary = f"[{visit.get_status_display()}] {summary}"
    event.add("summary", summary)
    place = [visit.venue, str(target), f"Kec. {target.district.name}"]
    if visit.school_id and visit.school.address:
        place.insert(2, visit.school.address)
    event.add("location", ", ".join(part for part in place if part))
    event.add("description", _description(visit, with_contacts=with_contacts))
    return event


def _description(visit: Visit, *, with_contacts: bool) -> str:
    lines = [_("Campaign: %(name)s") % {"name": visit.campaign.name}]
    if facilitators := [u.get_full_name() or u.get_username() for u in visit.facilitator_list]:
        lines.append(_("Facilitators: %(names)s") % {"names": ", ".join(facilitators)})
    if partners := [p.name for p in visit.partner_list]:
        lines.append(_("Partners: %(names)s") % {"names": ", ".join(partners)})
    if topics := [t.name for t in visit.topic_list]:
        lines.append(_("Topics: %(names)s") % {"names": ", ".join(topics)})
    if visit.status_reason:
        lines.append(_("Reason: %(reason)s") % {"reason": visit.status_reason})
    if with_contacts and visit.contact_name:
        contact = ", ".join(
            part for part in (visit.contact_name, visit.contact_role, visit.contact_phone) if part
        )
        lines.append(_("Contact: %(contact)s") % {"contact": contact})
    return "\n".join(lines)
