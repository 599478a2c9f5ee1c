"""Uploads of answer sheets and what was read from each page (imported by
quizzes.models, so that Django finds them in the quizzes app).

Files hold children's handwriting (names): they are deleted with their rows
(quizzes.signal_handlers), and the rows after the retention period
(records.sheet_batches_erase_expired)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    READING = "reading", _("Reading")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SheetBatch(models.Model):
    """Photos or scans uploaded together for a session: a row that a Celery task
    reads page by page (quizzes.tasks.sheet_batch_read), counting its progress."""

    session = models.ForeignKey(
        "quizzes.QuizSession", on_delete=models.CASCADE, related_name="sheet_batches"
    )
    status = models.CharField(max_length=10, choices=BatchStatus.choices,
                              default=BatchStatus.PENDING)  # fmt: skip
    pages_total = models.PositiveIntegerField(default=0)
    pages_read = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("answer sheet upload")
        verbose_name_plural = _("answer sheet uploads")

    def __str__(self):
        return f"{self.session_id} · {self.created_at:%Y-%m-%d %H:%M}"


class SheetFile(models.Model):
    """One uploaded file: a photo, or a scanner's PDF of many pages."""

    batch = models.ForeignKey(SheetBatch, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="lembar/unggahan/")
    name = models.CharField(max_length=255)
    pages = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.name


class PageStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    FLAGGED = "flagged", _("Needs checking")
    DUPLICATE = "duplicate", _("Already recorded")
    REFUSED = "refused", _("Refused")


class SheetPage(models.Model):
    """What was read from one page: the sheet it is (session and number, from its QR
    code), the answers, class and gender, and every flag. A flagged page counts only
    once staff confirm it; a recorded one is an attempt (`attempt`)."""

    batch = models.ForeignKey(SheetBatch, on_delete=models.CASCADE, related_name="pages")
    file_name = models.CharField(max_length=255)
    page = models.PositiveIntegerField(default=1)
    session = models.ForeignKey(
        "quizzes.QuizSession", on_delete=models.CASCADE, null=True, related_name="+"
    )
    number = models.PositiveIntegerField(null=True)
    status = models.CharField(max_length=10, choices=PageStatus.choices)
    answers = models.JSONField(default=dict)  # {"1": ["A"], ...}
    grade = models.CharField(max_length=2, blank=True)
    parallel = models.CharField(max_length=1, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    flags = models.JSONField(default=list)  # [{"kind", "question", "detail"}]
    # The page straightened onto the layout (grey JPEG): the review screen crops it.
    image = models.FileField(upload_to="lembar/halaman/", blank=True)
    attempt = models.ForeignKey(
        "quizzes.Attempt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            # A rerun of a batch (a requeued job) keeps each page once.
            models.UniqueConstraint(
                fields=["batch", "file_name", "page"], name="one_read_per_uploaded_page"
            )  # fmt: skip
        ]

    def __str__(self):
        return f"{self.file_name} p.{self.page}"
