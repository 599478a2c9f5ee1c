"""Uploads of answer sheets as jobs: the web request only streams the files to storage
and makes the batch row; a Celery task (quizzes.tasks.sheet_batch_read) reads them
page by page, saving its progress after each page for the progress page.

Memory stays bounded: an upload is streamed to storage in chunks; the worker holds one
page at a time, a PDF page rasterised at READ_DPI and a photo checked for its size
before it is decoded.
"""

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import PurePath

import cv2
import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from cms.localtime import months_before
from quizzes.models import QuizSession
from quizzes.sheets.models import BatchStatus, SheetBatch, SheetFile
from quizzes.sheets.reading import Flag, PageRead, read_page
from quizzes.sheets.records import session_sheet_spec, sheet_page_record

logger = logging.getLogger(__name__)

IMAGE_TYPES = {".jpg", ".jpeg", ".png"}
MAX_FILES = 200
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PDF_PAGES = 500
READ_DPI = 150
# A page is kept straightened at reading.SCALE: this much JPEG quality keeps pencil
# and handwriting legible for review at about 100 KB.
REVIEW_JPEG_QUALITY = 70
# 200 photos read at a few a second take a minute or two; a job this old is stuck.
STUCK_AFTER = timedelta(minutes=20)


def upload_check(upload) -> str:
    """A clear reason an uploaded file cannot be read, or ""."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix == ".pdf":
        limit = MAX_PDF_BYTES
    elif suffix in IMAGE_TYPES:
        limit = MAX_IMAGE_BYTES
    else:
        return _("%(name)s is not a JPEG/PNG photo or a PDF.") % {"name": upload.name}
    if upload.size > limit:
        return _("%(name)s is %(size)s; at most %(max)s.") % {
            "name": upload.name,
            "size": filesizeformat(upload.size),
            "max": filesizeformat(limit),
        }
    if suffix == ".pdf" and (pages := _pdf_page_count(upload.file) or 0) > MAX_PDF_PAGES:
        return _(
            "%(name)s has %(pages)d pages; a PDF may have at most %(max)d: split the scan "
            "into several files."
        ) % {"name": upload.name, "pages": pages, "max": MAX_PDF_PAGES}
    return ""


def _pdf_page_count(source) -> int | None:
    """A PDF's pages (`source`: its bytes, or a file read through, as PDFium loads pages
    only when asked), or None for a damaged PDF: its reading then says so."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(source)
    except pypdfium2.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()
        if hasattr(source, "seek"):
            source.seek(0)


def sheet_batch_create(*, session: QuizSession, uploads: list, created_by) -> SheetBatch:
    """Keep the uploaded files and queue their reading. Raises ValidationError with
    every reason a file is refused (then nothing is kept)."""
    if not uploads:
        raise ValidationError(_("Choose photos or PDFs of the answer sheets."))
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("At most %(max)d files per upload.") % {"max": MAX_FILES})
    if problems := [problem for upload in uploads if (problem := upload_check(upload))]:
        raise ValidationError(problems)
    session_sheet_spec(session)  # a quiz that fits no sheet is refused here, not later
    with transaction.atomic():
        batch = SheetBatch.objects.create(session=session, created_by=created_by)
        for upload in uploads:
            SheetFile.objects.create(batch=batch, file=upload, name=upload.name[:255])
        from quizzes import tasks

        transaction.on_commit(lambda: tasks.sheet_batch_read.delay(batch.pk), robust=True)
    return batch


def file_pages(name: str, data: bytes) -> Iterator[np.ndarray | None]:
    """A file's pages as grey images, one at a time (None for a page that is not an
    image of reasonable size)."""
    if PurePath(name).suffix.lower() == ".pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            yield None
            return
        try:
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()  # points
                scale = min(READ_DPI / 72, 3000 / max(width, height))
                yield np.array(page.render(scale=scale, grayscale=True).to_pil())
                page.close()
        finally:
            document.close()
        return
    try:
        width, height = Image.open(io.BytesIO(data)).size
    except (OSError, Image.DecompressionBombError):
        yield None
        return
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        yield None
        return
    yield cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)


def page_count(name: str, data: bytes) -> int:
    """Pages to read in a file: a damaged PDF counts as the one page it is refused as."""
    if PurePath(name).suffix.lower() != ".pdf":
        return 1
    count = _pdf_page_count(data)
    return 1 if count is None else count


def spec_finder():
    """spec_for(code) for reading.read_page: the session's sheet, looked up once."""
    specs = {}

    def spec_for(code: str):
        if code not in specs:
            session = QuizSession.objects.filter(code__iexact=code).select_related("quiz").first()
            specs[code] = session_sheet_spec(session) if session else None
        return specs[code]

    return spec_for


def _read(image: np.ndarray | None, spec_for) -> PageRead:
    return PageRead(flags=[Flag("unreadable")]) if image is None else read_page(image, spec_for)


def read_file_pages(name: str, data: bytes, spec_for) -> Iterator[PageRead]:
    return (_read(image, spec_for) for image in file_pages(name, data))


def sheet_batch_read(*, batch_id: int) -> None:
    """Read every page of a batch, saving progress after each. A rerun (a killed
    worker's) starts again from the first page; pages already kept are skipped."""
    batch = SheetBatch.objects.select_related("session__quiz").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return
    files = list(batch.files.all())
    for sheet_file in files:
        with sheet_file.file.open("rb") as stream:
            sheet_file.pages = page_count(sheet_file.name, stream.read())
        sheet_file.save(update_fields=["pages"])
    batch.pages_total = sum(sheet_file.pages for sheet_file in files)
    batch.pages_read = 0
    batch.status = BatchStatus.READING
    batch.save(update_fields=["pages_total", "pages_read", "status"])
    done = {(page.file_name, page.page) for page in batch.pages.all()}
    spec_for = spec_finder()
    for sheet_file in files:
        with sheet_file.file.open("rb") as stream:
            data = stream.read()
        try:
            for number, image in enumerate(file_pages(sheet_file.name, data), start=1):
                if (sheet_file.name, number) not in done:
                    _keep(batch, sheet_file.name, number, _read(image, spec_for))
                batch.pages_read += 1
                batch.save(update_fields=["pages_read"])
        except Exception:  # a damaged file must not stop the others
            logger.exception("answer sheets: cannot read %s", sheet_file.name)
            batch.error += _("%(name)s cannot be opened.") % {"name": sheet_file.name} + "\n"
    batch.status = BatchStatus.DONE
    batch.pages_read = batch.pages_total
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "pages_read", "finished_at", "error"])


def _keep(batch: SheetBatch, file_name: str, number: int, read: PageRead) -> None:
    jpeg = None
    if read.image is not None:
        quality = [cv2.IMWRITE_JPEG_QUALITY, REVIEW_JPEG_QUALITY]
        jpeg = cv2.imencode(".jpg", read.image, quality)[1].tobytes()
    sheet_page_record(batch=batch, file_name=file_name, page=number, read=read, image_jpeg=jpeg)


def sheet_batches_requeue_stuck(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Queue again the uploads still unread after `older_than` (a worker killed
    mid-job, a broker that lost the message): the job skips the pages it kept."""
    from quizzes import tasks

    cutoff = timezone.now() - older_than
    stuck = list(
        SheetBatch.objects.filter(
            status__in=[BatchStatus.PENDING, BatchStatus.READING], created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for batch_id in stuck:
        tasks.sheet_batch_read.delay(batch_id)
    return len(stuck)


def sheet_batch_mark_failed(*, batch_id: int) -> None:
    SheetBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED)


def sheet_batches_erase_expired() -> int:
    """Delete uploads (photos, straightened pages: children's handwriting) older than the
    retention period; their files go with the rows. The attempts stay, with the names
    that certificates.attempts_erase_expired erases in turn."""
    cutoff = months_before(timezone.now(), settings.QUIZ_RETENTION_MONTHS)
    deleted, _by_model = SheetBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted
