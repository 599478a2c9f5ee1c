"""The admin's "Reach" menu item, the dashboard's addresses and the admin's first
screen."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
)

from cms.admin_menu import PermissionMenuItem
from monitoring import views
from monitoring.home_panels import ReachSummaryPanel


@hooks.register("register_admin_menu_item")
def register_reach_menu():
    return PermissionMenuItem(
        _("Reach"),
        reverse_lazy("reach:dashboard"),
        icon_name="site",
        permission=views.PERMISSION,
        order=203,
    )


@hooks.register("register_admin_urls")
def register_reach_urls():
    urls = [
        path("", views.ReachView.as_view(), name="dashboard"),
        path("jangkauan.xlsx", views.ReachXlsxView.as_view(), name="xlsx"),
        path("jangkauan.csv", views.ReachCsvView.as_view(), name="csv"),
        path("laporan/", views.ReachReportRequestView.as_view(), name="report_request"),
        path("laporan/<int:pk>/", views.ReachReportView.as_view(), name="report"),
        path("laporan/<int:pk>.pdf", views.ReachReportFileView.as_view(), name="report_file"),
    ]
    return [path("jangkauan/", include((urls, "reach")))]


# The admin's first screen. Whoever follows the reach (outreach staff, admins, partners)
# works on visits and quizzes, not pages: Wagtail's page counts, recent edits and locked
# pages give way to the panels that campaigns and quizzes add and to the reach summary.
# "Awaiting your review" stays: staff approve the materials editors submit, and it shows
# nothing to anyone else. Editors (no reach) keep Wagtail's screen, which is about their
# pages.
PAGE_PANELS = (RecentEditsPanel, LockedPagesPanel, UserObjectsInWorkflowModerationPanel)


@hooks.register("construct_homepage_panels")
def reach_first_screen(request, panels):
    if request.user.has_perm(views.PERMISSION):
        panels[:] = [panel for panel in panels if not isinstance(panel, PAGE_PANELS)]
        panels.append(ReachSummaryPanel())


# After the apps that add the items (pages, images, documents).
@hooks.register("construct_homepage_summary_items", order=100)
def no_page_counts(request, summary_items):
    if request.user.has_perm(views.PERMISSION):
        summary_items.clear()
