"""Campaigns and their socialization visits.

A visit is the unit of reach: a session at one school or in one village. Done visits
are what the registry's coverage and the dashboard count.

Status changes, calendar feeds and emails about visits are rows of their own, so that
every change can be traced and every email is sent at most once.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.district import local
from cms.models import ClaimedEmail

MAX_ATTENDANCE = 5000
MAX_PHOTOS = 10


class PartnerAgency(models.Model):
    """An agency that joins visits (Polres, Pengadilan Agama...). Staff edit the list."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The agency's office address, not a person's: reminders about its follow-up
    # actions from the coordination meetings go there.
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Reminders about the agency's follow-up actions are sent here."),
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self):
        return self.name


class PartnerMember(models.Model):
    """A partner (Mitra) user belongs to one agency: they update that agency's
    follow-up actions and no other. Staff set it; a user without a row belongs to
    none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_member",
    )
    agency = models.ForeignKey(
        PartnerAgency,
        verbose_name=_("partner agency"),
        on_delete=models.CASCADE,
        related_name="members",
    )

    class Meta:
        verbose_name = _("partner agency member")
        verbose_name_plural = _("partner agency members")

    def __str__(self):
        return f"{self.user} · {self.agency}"


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
    quizzes = models.ManyToManyField(
        "quizzes.Quiz", verbose_name=_("quizzes"), blank=True, related_name="campaigns"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_campaigns",
    )
    # Public requests land in a yearly inbox campaign ("Permintaan sekolah/desa 2026");
    # staff move each request to a real campaign when they schedule it.
    is_request_inbox = models.BooleanField(_("request inbox"), default=False, editable=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["starts_on"],
                condition=models.Q(is_request_inbox=True),
                name="one_request_inbox_a_year",
            ),
        ]

    def __str__(self):
        return self.name


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


def attendance_field(label):
    return models.PositiveIntegerField(
        label, default=0, validators=[MaxValueValidator(MAX_ATTENDANCE)]
    )


class Visit(models.Model):
    """A socialization session at exactly one school or in exactly one village.

    Times are stored in UTC and always entered and shown in the district's zone
    (cms/district.py). A visit asked for through the public form carries the requester's
    details and a reference number.
    """

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
    status_reason = models.TextField(
        _("reason for the status"),
        blank=True,
        help_text=_("Why the visit was cancelled or postponed."),
    )
    # Stable identity for calendar feeds (ICS UID) and public reference numbers.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # RFC 5545 SEQUENCE: raised whenever the time or the status changes, so that
    # calendar apps replace their copy of the event.
    ics_sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    venue = models.CharField(
        _("venue"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the school hall, the village office."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_visits",
    )
    partners = models.ManyToManyField(
        PartnerAgency, verbose_name=_("partner agencies"), blank=True, related_name="visits"
    )
    audiences = models.ManyToManyField(
        "cms.Audience", verbose_name=_("expected audience"), blank=True, related_name="+"
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ATTENDANCE)],
    )
    topics = models.ManyToManyField(
        "cms.Topic", verbose_name=_("topics"), blank=True, related_name="visits"
    )
    materials = models.ManyToManyField(
        "cms.MaterialPage", verbose_name=_("materials used"), blank=True, related_name="visits"
    )
    repeat_reason = models.TextField(
        _("reason for another visit"),
        blank=True,
        help_text=_("Needed when this school or village already has a visit in the campaign."),
    )

    # The person to call at the school or village. Personal data: staff only.
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact's position"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    # Filled in by the public request form.
    reference = models.CharField(
        _("reference number"), max_length=9, unique=True, null=True, blank=True, editable=False
    )
    alternative_date = models.DateField(_("alternative date"), null=True, blank=True)
    request_message = models.TextField(_("message from the requester"), blank=True)

    # Attendance, recorded after the visit, by gender.
    students_male = attendance_field(_("male students"))
    students_female = attendance_field(_("female students"))
    teachers_male = attendance_field(_("male teachers"))
    teachers_female = attendance_field(_("female teachers"))
    parents_male = attendance_field(_("men: parents and community"))
    parents_female = attendance_field(_("women: parents and community"))
    others = attendance_field(_("others"))
    # Visits recorded before teachers and parents were counted by gender: their numbers
    # count in every total, under "gender not recorded". No form writes them any more.
    teachers_unrecorded = models.PositiveIntegerField(
        _("teachers, gender not recorded"), default=0, editable=False
    )
    parents_unrecorded = models.PositiveIntegerField(
        _("parents and community, gender not recorded"), default=0, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

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
                violation_error_message=_("A visit is for one school or one village: choose one."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visit_ends_after_it_starts",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["village", "status"]),
        ]

    def __str__(self):
        return f"{self.target} · {local(self.starts_at):%Y-%m-%d}"

    @property
    def target(self):
        return self.school or self.village

    @property
    def district(self):
        """The kecamatan, from the school or the village."""
        return self.target.district

    @property
    def teachers(self) -> int:
        return self.teachers_male + self.teachers_female + self.teachers_unrecorded

    @property
    def parents(self) -> int:
        return self.parents_male + self.parents_female + self.parents_unrecorded

    @property
    def participants(self) -> int:
        return (
            self.students_male + self.students_female + self.teachers + self.parents + self.others
        )


class VisitStatusChange(models.Model):
    """One step in a visit's life: who changed its status, when, from what to what."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=VisitStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=VisitStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.visit_id}: {self.from_status or '-'} -> {self.to_status}"


class VisitPhoto(models.Model):
    """A photo of the session, kept in Wagtail's image library (collection "Foto kunjungan")."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    # Who confirmed, on uploading, that the school or the parents agreed to the photo.
    # Empty for photos uploaded before consent was asked.
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_confirmed_at = models.DateTimeField(_("consent confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [models.UniqueConstraint(fields=["visit", "image"], name="visit_photo_once")]

    def __str__(self):
        return str(self.image)


class VisitEmailKind(models.TextChoices):
    FACILITATOR_REMINDER = "facilitator", _("Reminder to a facilitator")
    CONTACT_CONFIRMATION = "contact", _("Confirmation to the school or village")
    STAFF_REQUEST = "request", _("New request, to staff")


class VisitEmail(ClaimedEmail):
    """What was emailed about a visit, to whom. The unique constraint is the guarantee
    that a reminder goes out at most once per visit, recipient and kind."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=VisitEmailKind.choices)

    class Meta(ClaimedEmail.Meta):
        verbose_name = _("email about a visit")
        verbose_name_plural = _("emails about visits")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "kind", "recipient"], name="one_email_per_visit_kind_recipient"
            )
        ]


# Defined with the calendar, imported here so that Django finds it in this app.
from campaigns.calendar.models import CalendarFeed  # noqa: E402, F401
