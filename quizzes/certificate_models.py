"""Certificates of passing attempts, the class bundles teachers print, and who signs
them (imported by quizzes.models, so that Django finds them in the quizzes app). The
tasks that fill them are in quizzes/certificates.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms import district
from quizzes.models import (
    VERIFICATION_CODE_LENGTH,
    Attempt,
    QuizSession,
    new_download_key,
    random_code,
)


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def new_verification_code() -> str:
    return random_code(VERIFICATION_CODE_LENGTH)


class Certificate(models.Model):
    """A passing attempt's certificate: a row that a Celery task fills with the PDF.

    Two secrets: `code`, printed on the certificate, lets anyone verify it (and shows
    only a masked name); `download_key`, known only to the student's result page, gives
    the PDF with the full name. Sharing a verification link therefore never hands out a
    child's certificate."""

    attempt = models.OneToOneField(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"),
        max_length=VERIFICATION_CODE_LENGTH,
        unique=True,
        default=new_verification_code,
    )
    download_key = models.CharField(max_length=32, unique=True, default=new_download_key)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    file = models.FileField(_("PDF"), upload_to="sertifikat/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


# A class's certificates are merged into PDFs of at most this many: pypdf holds a
# merged document in memory (about 170 KB per certificate), so a school assembly of a
# thousand gets ten bounded PDFs rather than one that grows without limit.
CERTIFICATES_PER_BUNDLE = 100


class CertificateBundle(models.Model):
    """Ready certificates of a session merged into one PDF for the teacher to print: a
    row that a Celery task fills, one per CERTIFICATES_PER_BUNDLE certificates (`part`
    1, 2...). `certificate_ids` fixes what the part holds when it is asked for, so late
    certificates never shift the parts; a new request replaces the session's bundles.
    The PDF holds children's names: it goes with the names after the retention period
    (quizzes.certificates.attempts_erase_expired)."""

    session = models.ForeignKey(
        QuizSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="certificate_bundles",
    )
    part = models.PositiveSmallIntegerField(_("part"), default=1)
    certificate_ids = models.JSONField(default=list)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    file = models.FileField(_("PDF"), upload_to="sertifikat/kelas/", blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        ordering = ["session", "part"]
        verbose_name = _("certificate bundle")
        verbose_name_plural = _("certificate bundles")
        constraints = [
            models.UniqueConstraint(fields=["session", "part"], name="one_bundle_part_per_session")
        ]

    def __str__(self):
        return f"{self.session_id} · {self.part}"


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """Who issues and signs the certificates."""

    issuer = models.CharField(
        _("issuer"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty for the office's name in the district profile."),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan of the signature on a white or transparent background."),
    )

    panels = [
        FieldPanel("issuer"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("signature"),
    ]

    class Meta:
        verbose_name = _("certificates")

    @property
    def issued_by(self) -> str:
        """Who the certificate and its check page say issued it: the office, unless
        another issuer is set here."""
        return self.issuer or district.profile().office_name
