"""Panels of the admin's first screen: the reach in one line with the way to the
dashboard (partners see it too: figures only, like the dashboard), and the follow-up
actions that need attention: the overdue ones for staff, their agency's open ones for
a partner."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from campaigns.selectors import partner_agency_of
from monitoring.meetings import UPDATE_ALL, actions_for, open_actions, overdue_actions
from monitoring.selectors import reach_summary
from schools.selectors import user_regency

# Actions listed on a panel; the rest are behind its link.
ACTIONS_SHOWN = 10


class ReachSummaryPanel(Component):
    name = "reach_summary"
    order = 90
    template_name = "monitoring/home/reach_summary.html"

    def get_context_data(self, parent_context):
        regency = user_regency(parent_context["request"].user)
        return {
            "reach": reach_summary(regency=regency),
            "regency": regency,
            "dashboard_url": reverse("reach:dashboard"),
        }


class FollowUpPanel(Component):
    name = "follow_up"
    order = 95
    template_name = "monitoring/home/follow_up.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        if user.has_perm(UPDATE_ALL):
            shown, agency = overdue_actions(), None
        else:
            agency = partner_agency_of(user)
            shown = open_actions(agency=agency) if agency else open_actions().none()
        shown = actions_for(shown, regency=user_regency(user))
        return {
            "staff": agency is None and user.has_perm(UPDATE_ALL),
            "agency": agency,
            "actions": list(shown[: ACTIONS_SHOWN + 1]),
            "shown": ACTIONS_SHOWN,
            "list_url": reverse("follow_up:index"),
        }
