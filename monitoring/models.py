"""The monitoring app composes the other apps' figures and keeps none of its own: its
models hold the permission to see them and the printed reports asked for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reach(models.Model):  # noqa: DJ008 - never instantiated: nothing to show
    """No table: the home of the permission `monitoring.view_reach`."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reach", "Can see the reach dashboard, its exports and reports")]


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReachReport(models.Model):
    """A printed reach report asked for by one user: the dashboard's filters (as its GET
    parameters), a PDF that a Celery task renders, and its state. Reports are kept a
    day (monitoring.reports.reach_reports_delete_old), their files with them."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filters = models.JSONField(default=dict)
    # Whether the requester may see facilitators' names (staff, not partners).
    with_facilitators = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(_("PDF"), upload_to="laporan/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("reach report")
        verbose_name_plural = _("reach reports")

    def __str__(self):
        return f"{self.pk} · {self.status}"
