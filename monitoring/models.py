"""Monitoring composes the other apps' figures and keeps the cross-sector coordination
meetings: what each meeting reviewed and decided, the follow-up actions (rencana tindak
lanjut) it gave each partner agency, their history, and the meeting's printed pack.

Partner agencies and which partner user belongs to which are campaigns' data."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cms.district import local, local_today
from cms.models import ClaimedEmail


class Reach(models.Model):  # noqa: DJ008 - never instantiated: nothing to show
    """No table: the home of the permission `monitoring.view_reach`."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_reach", gettext_noop("Can see the reach dashboard, its exports and reports"))
        ]


class Meeting(models.Model):
    """A coordination meeting of DP3AP2KB with the partner agencies. It reviews the
    period since the previous meeting unless staff choose another; its minutes and
    decisions are written after it, on the same screen."""

    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    # A provincial instance holds meetings about one regency (its pack covers that
    # regency) or about all of them (empty).
    regency = models.ForeignKey(
        "schools.Regency",
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviews_from = models.DateField(_("period reviewed: from"))
    reviews_to = models.DateField(_("period reviewed: to"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviews_to__gte=models.F("reviews_from")),
                name="meeting_reviews_a_period",
                violation_error_message=_("The period reviewed must end after it starts."),
            )
        ]

    def __str__(self):
        held = local(self.held_at)
        return f"{held:%d-%m-%Y} · {self.place}"


class MeetingAttendance(models.Model):
    """How many people one agency sent to a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    agency = models.ForeignKey(
        "campaigns.PartnerAgency",
        verbose_name=_("partner agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    people = models.PositiveSmallIntegerField(
        _("people"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        ordering = ["agency__sort_order", "agency__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")
        ]

    def __str__(self):
        return f"{self.agency} · {self.people}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]


class FollowUpAction(models.Model):
    """A follow-up action (rencana tindak lanjut) decided at a meeting: what, which
    agency owns it, by when. Its status changes only through an ActionUpdate, which
    records who changed it and when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="actions"
    )
    what = models.TextField(_("action"), max_length=1000)
    agency = models.ForeignKey(
        "campaigns.PartnerAgency",
        verbose_name=_("agency responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["status", "due_on"])]
        permissions = [
            (
                "update_own_agency_action",
                gettext_noop("Can update the follow-up actions of their own agency"),
            )
        ]

    def __str__(self):
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Still open after its due date (local)."""
        return self.is_open and self.due_on < local_today()


def attachment_path(instance, filename):
    # A random folder: the stored name leads nowhere without the row, and only the
    # download view (which checks the agency) serves it.
    name = PurePath(filename)
    stem = slugify(name.stem)[:60] or "lampiran"
    return f"tindak-lanjut/{secrets.token_urlsafe(16)}/{stem}{name.suffix.lower()[:10]}"


class ActionUpdate(models.Model):
    """One dated step in an action's history: who, when, the status it left the action
    in, a note and an optional attachment."""

    action = models.ForeignKey(
        FollowUpAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, blank=True, max_length=200
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The author's agency when a partner wrote it: partners see the agency, never a
    # person's name.
    by_agency = models.ForeignKey(
        "campaigns.PartnerAgency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")

    def __str__(self):
        return f"{self.action_id} · {self.get_status_display()}"

    @property
    def attachment_name(self) -> str:
        return PurePath(self.attachment.name).name if self.attachment else ""


class ActionEmailKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in a week")
    OVERDUE = "overdue", _("Overdue")


class ActionEmail(ClaimedEmail):
    """A reminder about an action to its agency's contact. The unique constraint makes
    each reminder go out at most once (see cms/mail.py)."""

    action = models.ForeignKey(
        FollowUpAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ActionEmailKind.choices)

    class Meta(ClaimedEmail.Meta):
        verbose_name = _("email about an action")
        verbose_name_plural = _("emails about actions")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "recipient"], name="one_email_per_action_kind_recipient"
            )
        ]


class JobStatus(models.TextChoices):
    """Where a printed pack or report is: a Celery task makes it."""

    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MeetingPack(models.Model):
    """A meeting's printed pack: a row that a Celery task fills with the PDF. Asking
    again replaces it, so the figures are those of when it was asked for."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="pack"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    file = models.FileField(_("PDF"), upload_to="rapat/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting pack")
        verbose_name_plural = _("meeting packs")

    def __str__(self):
        return f"{self.meeting} · {self.get_status_display()}"


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
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    file = models.FileField(_("PDF"), upload_to="laporan/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("reach report")
        verbose_name_plural = _("reach reports")

    def __str__(self):
        return f"{self.pk} · {self.status}"
