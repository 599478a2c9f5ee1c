"""The admin's "Reach" menu item and the dashboard's addresses."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.admin_menu import PermissionMenuItem
from monitoring import views


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
        path("laporan.pdf", views.ReachReportView.as_view(), name="report"),
    ]
    return [path("jangkauan/", include((urls, "reach")))]
