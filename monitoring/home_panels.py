"""The reach in one line on the admin's first screen, with the way to the dashboard.
Partners see it too: figures only, like the dashboard."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from monitoring.selectors import reach_summary


class ReachSummaryPanel(Component):
    name = "reach_summary"
    order = 90
    template_name = "monitoring/home/reach_summary.html"

    def get_context_data(self, parent_context):
        return {"reach": reach_summary(), "dashboard_url": reverse("reach:dashboard")}
