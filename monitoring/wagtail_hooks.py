"""The admin's "Reach", "Coordination meetings" and "Follow-up actions" menu items,
their addresses and the admin's first screen."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
)

from cms.admin_menu import PermissionMenuItem
from cms.admin_refusals import refuse_with_403
from monitoring import meeting_views, meetings, views
from monitoring.home_panels import FollowUpPanel, ReachSummaryPanel


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
    if meetings.sees_actions(request.user):
        panels.append(FollowUpPanel())


# After the apps that add the items (pages, images, documents).
@hooks.register("construct_homepage_summary_items", order=100)
def no_page_counts(request, summary_items):
    if request.user.has_perm(views.PERMISSION):
        summary_items.clear()


# Coordination meetings and their follow-up actions


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return meetings.sees_actions(request.user)


@hooks.register("register_admin_menu_item")
def register_meetings_menu():
    return PermissionMenuItem(
        _("Coordination meetings"),
        reverse_lazy("meetings:index"),
        icon_name="group",
        permission=meeting_views.VIEW_MEETINGS,
        order=204,
    )


@hooks.register("register_admin_menu_item")
def register_follow_up_menu():
    return FollowUpMenuItem(
        _("Follow-up actions"), reverse_lazy("follow_up:index"), icon_name="tasks", order=205
    )


@hooks.register("register_admin_urls")
def register_meeting_urls():
    meeting_urls = [
        path("", meeting_views.MeetingIndexView.as_view(), name="index"),
        path("baru/", meeting_views.MeetingCreateView.as_view(), name="add"),
        path("mitra/", meeting_views.PartnerMembersView.as_view(), name="members"),
        path("<int:pk>/", meeting_views.MeetingDetailView.as_view(), name="detail"),
        path("<int:pk>/ubah/", meeting_views.MeetingEditView.as_view(), name="edit"),
        path(
            "<int:pk>/tindak-lanjut/", meeting_views.ActionCreateView.as_view(), name="add_action"
        ),
        path("<int:pk>/paket/", meeting_views.PackView.as_view(), name="pack"),
        path("<int:pk>/paket.pdf", meeting_views.PackPdfView.as_view(), name="pack_pdf"),
    ]
    action_urls = [
        path("", meeting_views.ActionIndexView.as_view(), name="index"),
        path("<int:pk>/", meeting_views.ActionDetailView.as_view(), name="detail"),
        path("lampiran/<int:pk>/", meeting_views.AttachmentView.as_view(), name="attachment"),
    ]
    return [
        path("rapat/", include((refuse_with_403(meeting_urls), "meetings"))),
        path("tindak-lanjut/", include((refuse_with_403(action_urls), "follow_up"))),
    ]
