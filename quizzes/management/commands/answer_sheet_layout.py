import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.models import QuizSession
from quizzes.sheets.layout import LayoutError
from quizzes.sheets.records import session_sheet_spec


class Command(BaseCommand):
    help = "The geometry of a session's answer sheet as JSON (millimetres from the top left)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the session's code")

    def handle(self, code, **options):
        session = QuizSession.objects.filter(code__iexact=code).select_related("quiz").first()
        if session is None:
            raise CommandError(_("Session %(code)s does not exist.") % {"code": code})
        try:
            layout = session_sheet_spec(session).layout
        except LayoutError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps({"session": session.code, **layout.as_dict()}, indent=2))
