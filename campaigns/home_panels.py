"""The panels outreach staff find on the admin's first screen: this week's visits and
the requests waiting for a decision. wagtail_hooks.py adds them for users who can see
visits."""

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from campaigns import selectors
from campaigns.admin_views import visit_url
from campaigns.models import VisitStatus
from cms import district
from cms.localtime import this_week

# Requests listed on the panel; the rest are behind its link to the filtered list.
REQUESTS_SHOWN = 10


class WeekVisitsPanel(Component):
    name = "week_visits"
    order = 100
    template_name = "campaigns/admin/home/week_visits.html"

    def get_context_data(self, parent_context):
        mine, others = selectors.visits_this_week(facilitator=parent_context["request"].user)
        monday, sunday = this_week()
        return {
            "mine": [(visit, visit_url("inspect", visit)) for visit in mine],
            "others": [(visit, visit_url("inspect", visit)) for visit in others],
            "monday": monday,
            "sunday": sunday,
            "calendar_url": reverse("visits:calendar"),
            # A panel is rendered without the request's context processors.
            "district_profile": district.profile(),
        }


class VisitRequestsPanel(Component):
    name = "visit_requests"
    order = 110
    template_name = "campaigns/admin/home/visit_requests.html"

    def get_context_data(self, parent_context):
        waiting, count = selectors.visit_requests_waiting(limit=REQUESTS_SHOWN)
        return {
            "requests": [(visit, visit_url("inspect", visit)) for visit in waiting],
            "count": count,
            "list_url": reverse("visits:index")
            + "?"
            + urlencode({"status": VisitStatus.REQUESTED}),
        }
