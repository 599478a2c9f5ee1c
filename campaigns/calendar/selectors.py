"""Reads of the calendar feeds (the secret .ics addresses) and what they hold."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from campaigns.calendar.models import CalendarFeed
from campaigns.models import Visit


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed behind a secret address, or None (unknown or revoked)."""
    return (
        CalendarFeed.objects.select_related("user", "campaign")
        .filter(token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True)
        .first()
    )


def active_feed(*, user=None, campaign=None) -> CalendarFeed | None:
    feeds = CalendarFeed.objects.filter(revoked_at__isnull=True)
    if user is not None:
        return feeds.filter(user=user).first()
    return feeds.filter(campaign=campaign).first()


# How far back a calendar feed reaches: phones keep older events themselves.
FEED_HISTORY = timedelta(days=90)


def feed_visits(feed: CalendarFeed) -> QuerySet[Visit]:
    """The feed's visits, their people and topics prefetched into plain lists
    (facilitator_list, partner_list, topic_list): a feed may hold a thousand events."""
    visits = (
        Visit.objects.select_related("campaign", "school__district", "village__district")
        .prefetch_related(
            Prefetch("facilitators", to_attr="facilitator_list"),
            Prefetch("partners", to_attr="partner_list"),
            Prefetch("topics", to_attr="topic_list"),
        )
        .filter(starts_at__gte=timezone.now() - FEED_HISTORY)
    )
    if feed.user_id:
        visits = visits.filter(facilitators=feed.user_id)
    else:
        visits = visits.filter(campaign=feed.campaign_id)
    return visits.order_by("starts_at", "pk")
