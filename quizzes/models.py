"""Quizzes that students take by QR code after a session, and their certificates.

A quiz (questions and options, authored in the admin) is opened to students through a
session with a short code: `/q/<code>/`. Each submission is an attempt, recorded once
per one-time token; a passing attempt with a name gets a certificate, rendered to PDF
by a Celery task and verifiable by anyone at `/v/<code>/`.

Students are minors: an attempt keeps the class, an optional gender and an optional
name for the certificate, nothing else. Names are erased after the retention period
(settings.QUIZ_RETENTION_MONTHS); the figures stay.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from cms.localtime import months_after

# No 0/O, 1/I/L: a code read off a projector or typed on a phone cannot be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SESSION_CODE_LENGTH = 6
# 12 characters of a 31-letter alphabet: 59 bits, beyond any guessing.
VERIFICATION_CODE_LENGTH = 12
NAME_MAX_LENGTH = 80
CLASS_MAX_LENGTH = 20
# A student who started before the session closed may still send their answers.
CLOSING_GRACE = timedelta(minutes=30)

vanity_code_validator = RegexValidator(
    r"^[A-Za-z0-9]{4,16}$", _("Use 4 to 16 letters and digits, without spaces.")
)


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Quiz(ClusterableModel):
    """A short quiz: ordered questions, each with options and an explanation that the
    student reads after submitting."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to students above the questions.")
    )
    topic = models.ForeignKey(
        "cms.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, related_name="quizzes"
    )
    audience = models.ForeignKey(
        "cms.Audience",
        verbose_name=_("audience level"),
        on_delete=models.PROTECT,
        related_name="quizzes",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The score, in percent, that earns a certificate."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    # Named as Indonesian teachers name them: "pilihan ganda" is the one-answer kind.
    SINGLE = "single", _("Multiple choice (one right answer)")
    MULTIPLE = "multiple", _("Complex multiple choice (several right answers)")
    TRUE_FALSE = "true_false", _("True/false")


# The two options of every true-or-false question, made when it is saved without any:
# content in the students' language, like the option texts authors type.
TRUE_FALSE_OPTIONS = ("Benar", "Salah")


class Question(ClusterableModel, Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    explanation = models.TextField(
        _("explanation"),
        max_length=600,
        help_text=_("Why the right answer is right; shown after submitting."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Option(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text


class SessionKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")
    STANDALONE = "standalone", _("Standalone")


class SessionState(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("Not yet open")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuizSession(models.Model):
    """A quiz opened to students for a while, for a visit, a school or the public (no
    school: each student picks theirs from the registry)."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.STANDALONE
    )
    visit = models.ForeignKey(
        "campaigns.Visit",
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_sessions",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_sessions",
        help_text=_("Leave empty for a public session: students then choose their school."),
    )
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[vanity_code_validator],
        error_messages={"unique": _("Another session already uses this code.")},
        help_text=_(
            "Leave empty for a random 6-character code, or choose one of 4 to 16 letters "
            "and digits. Capitals or not, it is the same code."
        ),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Leave empty to keep it open.")
    )
    max_attempts = models.PositiveIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional cap on the number of submissions."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Paper answer sheets are numbered 1..sheets_printed: each print takes the next
    # numbers, so two sheets in a class never share one (quizzes.sheets.records).
    sheets_printed = models.PositiveIntegerField(_("answer sheets printed"), default=0,
                                                 editable=False)  # fmt: skip

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("quiz session")
        verbose_name_plural = _("quiz sessions")
        permissions = [("view_results", gettext_noop("Can see quiz results (figures, no names)"))]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="quiz_session_code_unique_ci",
                violation_error_message=_("Another session already uses this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="quiz_session_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.quiz}"

    def clean(self):
        if self.code:
            self.code = self.code.upper()
        if self.visit_id and self.visit.school_id:
            if self.school_id is None:
                self.school_id = self.visit.school_id
            elif self.school_id != self.visit.school_id:
                raise ValidationError({"school": _("The visit is at another school.")})
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The session must close after it opens.")})

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return SessionState.NOT_YET_OPEN
        if self.closes_at and now >= self.closes_at:
            return SessionState.CLOSED
        return SessionState.OPEN

    def takes_answers(self, *, issued_at: datetime | None, now=None) -> bool:
        """Whether answers on a form issued at `issued_at` are taken: while the session
        is open, and for CLOSING_GRACE after it closed when the form was issued before."""
        now = now or timezone.now()
        state = self.state(now)
        if state == SessionState.CLOSED and issued_at is not None:
            return issued_at < self.closes_at and now < self.closes_at + CLOSING_GRACE
        return state == SessionState.OPEN

    @property
    def is_public(self) -> bool:
        return self.school_id is None

    @property
    def path(self) -> str:
        return f"/q/{self.code}/"


class Gender(models.TextChoices):
    FEMALE = "p", _("Girl")
    MALE = "l", _("Boy")


class AttemptSource(models.TextChoices):
    PHONE = "phone", _("Phone")
    PAPER = "paper", _("Paper")


class Attempt(models.Model):
    """One student's submission. The one-time token of the form it came from is unique,
    so a double tap or a resubmit can never record it twice."""

    session = models.ForeignKey(
        QuizSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attempts"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )
    class_name = models.CharField(_("class"), max_length=CLASS_MAX_LENGTH)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    name = models.CharField(_("name on the certificate"), max_length=NAME_MAX_LENGTH, blank=True)
    # A random id from a cookie on the phone, to pair a pre-test with its post-test.
    device_id = models.CharField(_("device"), max_length=32, blank=True)
    token = models.CharField(_("submission token"), max_length=32, unique=True)
    # Paper: an answer sheet read by quizzes.sheets, its token made of the session and
    # the sheet's number, so a sheet read twice counts once.
    source = models.CharField(
        _("source"), max_length=5, choices=AttemptSource.choices, default=AttemptSource.PHONE
    )
    correct_count = models.PositiveSmallIntegerField(_("correct answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    name_erased_at = models.DateTimeField(_("name erased"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["session", "submitted_at"]),
            models.Index(fields=["school", "submitted_at"]),
            models.Index(fields=["submitted_at"], name="quizzes_attempt_to_erase"),
        ]

    def __str__(self):
        return f"{self.session.code} · {self.class_name} · {self.score}%"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    chosen = models.JSONField(_("chosen options"), default=list)
    is_correct = models.BooleanField(_("correct"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"


def new_download_key() -> str:
    return secrets.token_urlsafe(24)


class TeacherLink(models.Model):
    """The secret address of a session's results for the class's teacher: no login, so
    the key is the only guard (32 random URL-safe characters, like a certificate's
    download key). Staff revoke it and make a new one; a revoked row stays so that its
    address can say it was revoked. It expires with the names it shows (`expires_at`)."""

    session = models.ForeignKey(
        QuizSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="teacher_links",
    )
    key = models.CharField(max_length=32, unique=True, default=new_download_key)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("teacher link")
        verbose_name_plural = _("teacher links")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_teacher_link_per_session",
            )
        ]

    def __str__(self):
        return f"{self.session_id} · {self.created_at:%Y-%m-%d}"

    @property
    def path(self) -> str:
        return f"/guru/{self.key}/"

    @property
    def expires_at(self) -> datetime:
        """When the retention period has passed since the session closed (or opened, if
        it never closes): the names it would show are erased by then, or nearly
        (attempts_erase_expired uses the same cut-off per attempt)."""
        session = self.session
        return months_after(session.closes_at or session.opens_at, settings.QUIZ_RETENTION_MONTHS)

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


# Defined in their own modules, imported here so that Django finds them in this app.
from quizzes.certificate_models import (  # noqa: E402, F401
    CERTIFICATES_PER_BUNDLE,
    Certificate,
    CertificateBundle,
    CertificateSettings,
    CertificateStatus,
    new_verification_code,
)
from quizzes.sheets.models import SheetBatch, SheetFile, SheetPage  # noqa: E402, F401
from quizzes.tally_models import QuizTally, QuizTallyRefresh  # noqa: E402, F401
