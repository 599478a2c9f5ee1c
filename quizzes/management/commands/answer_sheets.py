from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.models import QuizSession
from quizzes.sheets.drawing import sheets_pdf
from quizzes.sheets.layout import LayoutError
from quizzes.sheets.records import session_sheet_spec, sheets_allocate


class Command(BaseCommand):
    help = "Print a session's paper answer sheets (the next numbers) as one PDF."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the session's code")
        parser.add_argument("--count", type=int, default=30, help="how many sheets")
        parser.add_argument("--out", required=True, type=Path, help="the PDF to write")

    def handle(self, code, count, out, **options):
        session = QuizSession.objects.filter(code__iexact=code).select_related("quiz").first()
        if session is None:
            raise CommandError(_("Session %(code)s does not exist.") % {"code": code})
        try:
            numbers = sheets_allocate(session=session, count=count)
        except (LayoutError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        spec = session_sheet_spec(session)
        out.write_bytes(sheets_pdf(spec=spec, session=session, numbers=numbers))
        self.stdout.write(
            _("%(out)s: sheets no. %(first)s–%(last)s of session %(code)s")
            % {"out": out, "first": numbers[0], "last": numbers[-1], "code": session.code}
        )
