from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from schools.management.report import open_file, write_report
from schools.services import school_import
from schools.sheets import ImportFileError


class Command(BaseCommand):
    help = (
        "Add and update schools by NPSN from a CSV (UTF-8, comma or semicolon) or XLSX "
        "file, e.g. a Dapodik export or an edited export of the registry. All or nothing "
        "unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and skip the invalid ones.",
        )

    def handle(self, *args, file, dry_run, skip_invalid, **options):
        with translation.override(settings.LANGUAGE_CODE), open_file(file) as data:
            try:
                report = school_import(
                    file=data,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    source=_("Import of %(file)s") % {"file": Path(file).name},
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            write_report(self, report)
            if dry_run:
                self.stdout.write(_("Dry run: nothing was saved."))
            elif not report.written:
                raise CommandError(
                    _(
                        "Nothing was saved because some rows are invalid. Correct the file, "
                        "or run again with --skip-invalid to import only the valid rows."
                    )
                )
