import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.models import QuizSession
from quizzes.sheets import jobs
from quizzes.sheets.models import BatchStatus, SheetBatch, SheetFile
from quizzes.sheets.records import flag_message


class Command(BaseCommand):
    help = (
        "Read photos or scanned PDFs of answer sheets and record them, as an upload in the "
        "admin does (flagged sheets wait for review there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--session", help="the session the sheets belong to")
        parser.add_argument("--dry-run", action="store_true", help="read, record nothing")
        parser.add_argument("--json", action="store_true", help="print each page as JSON")

    def handle(self, files, session, dry_run, **options):
        for path in files:
            if not path.is_file():
                raise CommandError(_("%(path)s does not exist.") % {"path": path})
            if problem := jobs.upload_check(File(path.open("rb"), name=path.name)):
                raise CommandError(problem)
        target = None
        if session:
            target = QuizSession.objects.filter(code__iexact=session).first()
            if target is None:
                raise CommandError(_("Session %(code)s does not exist.") % {"code": session})
        pages = list(self._read(files)) if dry_run else self._record(files, target)
        for page in pages:
            if options["json"]:
                self.stdout.write(_json(page))
            else:
                flags = "; ".join(flag_message(flag) for flag in page["flags"]) or "ok"
                self.stdout.write(
                    f"{page['file']} p. {page['page']}: {page['session'] or '?'} "
                    f"no. {page['number'] or '?'} · {page.get('status', 'dry-run')} · {flags}"
                )

    def _read(self, files):
        spec_for = jobs.spec_finder()
        for path in files:
            reads = jobs.read_file_pages(path.name, path.read_bytes(), spec_for)
            for number, read in enumerate(reads, start=1):
                yield {
                    "file": str(path), "page": number, "session": read.code,
                    "number": read.number,
                    "answers": {str(q): letters for q, letters in read.answers.items()},
                    "grade": read.grade, "parallel": read.parallel, "gender": read.gender,
                    "flags": [{"kind": f.kind, "question": f.question, "detail": f.detail}
                              for f in read.flags],
                }  # fmt: skip

    def _record(self, files, target):
        if target is None:
            first = next((page for page in self._read(files[:1]) if page["session"]), None)
            target = first and QuizSession.objects.filter(code__iexact=first["session"]).first()
            if target is None:
                raise CommandError(
                    _("The session cannot be read from the first sheet: give --session CODE.")
                )
        batch = SheetBatch.objects.create(session=target)
        for path in files:
            with path.open("rb") as stream:
                SheetFile.objects.create(batch=batch, file=File(stream, name=path.name),
                                         name=path.name)  # fmt: skip
        jobs.sheet_batch_read(batch_id=batch.pk)
        batch.refresh_from_db()
        if batch.status != BatchStatus.DONE or batch.error:
            self.stderr.write(batch.error)
        paths = {path.name: str(path) for path in files}
        return [
            {
                "file": paths.get(page.file_name, page.file_name),
                "page": page.page,
                "session": page.session.code if page.session else "",
                "number": page.number,
                "answers": page.answers,
                "grade": page.grade,
                "parallel": page.parallel,
                "gender": page.gender,
                "flags": page.flags,
                "status": page.status,
            }  # fmt: skip
            for page in batch.pages.select_related("session")
        ]


def _json(page: dict) -> str:
    page = {**page, "flags": [{**flag, "message": flag_message(flag)} for flag in page["flags"]]}
    return json.dumps(page, ensure_ascii=False)
