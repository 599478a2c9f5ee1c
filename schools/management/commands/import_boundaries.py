from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from schools.boundaries import boundary_import
from schools.boundary_files import BoundaryLevel
from schools.management.report import open_file, write_report
from schools.sheets import ImportFileError


class Command(BaseCommand):
    help = (
        "Load the boundaries of kecamatan or desa/kelurahan for the reach map, matched to "
        "the registry by Kemendagri code: a GeoJSON FeatureCollection (the code in a "
        "property such as 'code' or 'kode') or an SQL export of cahyadsn/wilayah_boundaries. "
        "All or nothing: any invalid boundary and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--level",
            choices=BoundaryLevel.values,
            default="",
            help="Require every code to be of this level (default: each code's own).",
        )
        parser.add_argument(
            "--code-property",
            default="",
            help="The GeoJSON property holding the code (default: code, kode, kd_...).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file, level, code_property, dry_run, **options):
        with translation.override(settings.LANGUAGE_CODE), open_file(file) as data:
            try:
                report = boundary_import(
                    file=data,
                    level=level,
                    code_property=code_property,
                    dry_run=dry_run,
                    source=_("Import of %(file)s") % {"file": Path(file).name},
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            write_report(
                self, report, line_format=_("Boundary %(number)s: %(status)s · %(key)s %(name)s")
            )
            if dry_run:
                self.stdout.write(_("Dry run: nothing was saved."))
            elif not report.written:
                raise CommandError(
                    _("Nothing was saved because some boundaries are invalid. Correct the file.")
                )
