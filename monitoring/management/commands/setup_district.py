"""Take a new district from an empty database to its dashboard: its regions, schools
and boundaries through the registry's imports, then the district profile.

Each import is all or nothing and a rerun updates what it loaded, so a run that stops
at a bad file is corrected and run again. The profile is set last, once the regency
is in the registry."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from cms.district import ZONE_LABELS, region_code_validator, zone_of_region
from cms.services import district_profile_save
from schools.selectors import regency_by_code

ZONES = {label: name for name, label in ZONE_LABELS.items()}


class Command(BaseCommand):
    help = (
        "Set up a district: import its regions, schools and boundaries and set the "
        "district profile. CODE is the Kemendagri code of the regency or city (e.g. "
        "11.72), or of the province for a provincial office (e.g. 64)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--regions", help="regions file (CSV or XLSX), for import_regions")
        parser.add_argument("--schools", help="schools file (CSV or XLSX), for import_schools")
        parser.add_argument("--kecamatan-boundaries", help="GeoJSON or SQL file of kecamatan")
        parser.add_argument("--desa-boundaries", help="GeoJSON or SQL file of desa/kelurahan")
        parser.add_argument("--office", help="the office's full name, e.g. DP3A Kota Sabang")
        parser.add_argument("--office-short", help="the office's short name, e.g. DP3A")
        parser.add_argument("--name", help="the region's name (default: the registry's)")
        parser.add_argument("--time-zone", choices=sorted(ZONES), help="default: by the code")

    def handle(self, *args, code, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:  # before any import: a wrong code would otherwise be told after them
                region_code_validator(code)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self._import(options)
            self._profile(code, options)

    def _import(self, options):
        steps = [
            ("import_regions", options["regions"], []),
            ("import_schools", options["schools"], []),
            ("import_boundaries", options["kecamatan_boundaries"], ["--level", "kecamatan"]),
            ("import_boundaries", options["desa_boundaries"], ["--level", "desa"]),
        ]
        for command, file, extra in steps:
            if file:
                self.stdout.write(f"== {command} {file}")
                call_command(command, file, *extra, stdout=self.stdout, stderr=self.stderr)

    def _profile(self, code, options):
        regency = regency_by_code(code)
        name = options["name"] or (regency.name if regency else "")
        if not name:
            raise CommandError(
                _("%(code)s is not a regency in the registry: give its name with --name.")
                % {"code": code}
            )
        fields = {
            "region_code": code,
            "region_name": name,
            "time_zone": ZONES[options["time_zone"]]
            if options["time_zone"]
            else zone_of_region(code),
        }
        if options["office"]:
            fields["office_name"] = options["office"]
        if options["office_short"]:
            fields["office_short_name"] = options["office_short"]
        try:
            profile = district_profile_save(**fields)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            _("District profile: %(office)s, %(region)s (%(code)s), times in %(zone)s.")
            % {
                "office": profile.office_name,
                "region": profile.region_name,
                "code": profile.region_code,
                "zone": profile.zone_label,
            }
        )
        if profile.time_zone != settings.TIME_ZONE:
            self.stdout.write(
                _(
                    "Set TIME_ZONE=%(zone)s in the environment too, so that the nightly "
                    "jobs and reminders run at the district's hours."
                )
                % {"zone": profile.time_zone}
            )
