from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from schools.management.report import open_file, write_report
from schools.regions import BUNDLED_REGIONS, region_import
from schools.sheets import ImportFileError


class Command(BaseCommand):
    help = (
        "Load a regency, its kecamatan and desa/kelurahan from a CSV or XLSX file of "
        "Kemendagri codes (default: the bundled demo regency's list), next to any "
        "regency already loaded. "
        "All or nothing: any invalid row and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(BUNDLED_REGIONS))

    def handle(self, *args, file, **options):
        with translation.override(settings.LANGUAGE_CODE), open_file(file) as data:
            try:
                report = region_import(file=data)
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            write_report(self, report)
            if not report.written:
                raise CommandError(
                    _("Nothing was saved because some rows are invalid. Correct the file.")
                )
