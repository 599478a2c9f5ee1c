"""Campaigns and their socialization visits.

A visit is the unit of reach: a session at one school or in one village. Done visits
are what the registry's coverage and the dashboard count.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ATTENDANCE = 5000


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField("cms.Topic", verbose_name=_("topics"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    audiences = models.ManyToManyField(
        "cms.Audience", verbose_name=_("target audiences"), blank=True
    )
    school_levels = models.JSONField(
        _("target school levels"),
        default=list,
        blank=True,
        help_text=_("School level codes, e.g. ['smp', 'mts']."),
    )
    materials = models.ManyToManyField(
        "cms.MaterialPage", verbose_name=_("materials"), blank=True, related_name="campaigns"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_campaigns",
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class Visit(models.Model):
    """A socialization session at exactly one school or in exactly one village."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="visits"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    village = models.ForeignKey(
        "schools.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    # Stable identity for calendar feeds (ICS UID) and public reference numbers.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # Attendance, recorded after the visit.
    students_male = models.PositiveIntegerField(
        _("male students"), default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )
    students_female = models.PositiveIntegerField(
        _("female students"), default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )
    teachers = models.PositiveIntegerField(
        _("teachers"), default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )
    parents_community = models.PositiveIntegerField(
        _("parents and community"), default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )
    others = models.PositiveIntegerField(
        _("others"), default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(school__isnull=False, village__isnull=True)
                    | models.Q(school__isnull=True, village__isnull=False)
                ),
                name="visit_targets_one_school_or_one_village",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["village", "status"]),
        ]

    def __str__(self):
        return f"{self.target} · {self.starts_at:%Y-%m-%d}"

    @property
    def target(self):
        return self.school or self.village

    @property
    def participants(self):
        return (
            self.students_male
            + self.students_female
            + self.teachers
            + self.parents_community
            + self.others
        )
