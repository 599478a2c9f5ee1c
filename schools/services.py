"""Writes to the registry: the school import, and the admin's upload -> preview ->
confirm of a school file (the regions import is in regions.py, the boundaries import in
boundaries.py).

An import is all or nothing: when any row is invalid nothing is written, unless the
caller asks to skip the invalid rows. Schools are upserted by NPSN in bulk: the
existing rows are read in one query and compared, so a row that did not change is not
written at all.
"""

from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.importing import (
    DISTRICT_PREFIXES,
    SCHOOL_COLUMNS,
    VILLAGE_PREFIXES,
    ImportFileError,
    ImportReport,
    RowResult,
    RowStatus,
    code_key,
    ministry_for,
    normalise,
    parse_bool,
    parse_coordinates,
    parse_count,
    parse_date,
    parse_email,
    parse_level,
    parse_ministry,
    parse_npsn,
    parse_status,
    parse_tppk,
    read_table,
    region_name_key,
)
from schools.models import District, School, SchoolImport, Village

BATCH_SIZE = 500
PREVIEW_LIFETIME = timedelta(days=1)


class Places:
    """Every kecamatan and desa/kelurahan, read once, matched by code or by name. With
    several regencies in the registry a kecamatan name can be in more than one: such a
    name matches none (`ambiguous` says so), and the file must give the code."""

    def __init__(self):
        districts = {
            district.pk: district for district in District.objects.select_related("regency")
        }
        self.regencies = sorted({district.regency.name for district in districts.values()})
        by_name = defaultdict(list)
        self.districts = {}
        for district in districts.values():
            by_name[region_name_key(district.name, DISTRICT_PREFIXES)].append(district)
            self.districts[code_key(district.code)] = district
        self.ambiguous = {name: found for name, found in by_name.items() if len(found) > 1}
        self.districts.update(
            {name: found[0] for name, found in by_name.items() if len(found) == 1}
        )
        self.villages_by_code = {}
        self.villages_by_name = {}
        for village in Village.objects.all():
            village.district = districts[village.district_id]
            self.villages_by_code[code_key(village.code)] = village
            self.villages_by_name[(village.district_id, normalise(village.name))] = village

    def district(self, text: str) -> District | None:
        return self.districts.get(region_name_key(text, DISTRICT_PREFIXES)) or self.districts.get(
            code_key(text)
        )

    def village(self, district: District, name: str) -> Village | None:
        return self.villages_by_name.get((district.pk, region_name_key(name, VILLAGE_PREFIXES)))


# Schools


def school_import(
    *, file, dry_run: bool = False, skip_invalid: bool = False, source: str = ""
) -> ImportReport:
    """Upsert schools by NPSN from a CSV or XLSX file and report every row.

    Columns missing from the file leave those fields as they are, so a Dapodik export
    does not wipe the TPPK details staff entered. `source` is recorded on the rows
    written, unless the file has its own source column. Raises ImportFileError when
    the file as a whole cannot be read.
    """
    table = read_table(file, SCHOOL_COLUMNS, key="npsn")
    places = Places()
    rows = [_parse_school_row(number, cells, table.columns, places) for number, cells in table]
    if not rows:
        raise ImportFileError(_("The file has a header row but no schools."))
    _flag_duplicate_npsn(rows)

    existing = School.objects.select_related("village").in_bulk(
        [row.npsn for row in rows if row.result.status != RowStatus.ERROR],
        field_name="npsn",
    )
    now = timezone.now()
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        if row.result.status == RowStatus.ERROR:
            continue
        school = existing.get(row.npsn)
        if school is None:
            school = _new_school(row)
        else:
            row.result.name = row.result.name or school.name
            changes = _apply_changes(school, row.values)
            if not changes:
                continue
            row.result.status = RowStatus.UPDATED
            row.result.messages.append(
                _("Changed: %(fields)s.") % {"fields": ", ".join(sorted(changes.values()))}
            )
            changed_fields.update(changes)
        if "source" not in row.values and source:
            school.source = source[:255]
        if not _is_valid(school, row.result, checked=row.values.keys()):
            continue
        if school.pk is None:
            row.result.status = RowStatus.CREATED
            to_create.append(school)
        else:
            school.updated_at = now  # bulk_update skips auto_now
            to_update.append(school)

    report = ImportReport(rows=[row.result for row in rows])
    if dry_run or (report.has_errors and not skip_invalid):
        return report
    try:
        with transaction.atomic():
            School.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            if to_update:
                School.objects.bulk_update(
                    to_update,
                    sorted(changed_fields | {"source", "updated_at"}),
                    batch_size=BATCH_SIZE,
                )
    except IntegrityError:
        # Someone else added one of these NPSNs since the file was read.
        raise ImportFileError(
            _("The registry changed while this file was being imported. Try again.")
        ) from None
    report.written = True
    return report


class _SchoolRow:
    def __init__(self, number: int):
        self.result = RowResult(number=number)
        self.npsn = ""
        self.values = {}


def _parse_school_row(number: int, cells: dict, columns: dict, places: Places) -> _SchoolRow:
    row = _SchoolRow(number)
    result, values = row.result, row.values
    result.key = cells["npsn"]
    result.name = cells.get("name", "")

    def parse(parser, *args):
        try:
            return parser(*args)
        except ValueError as error:
            result.fail(str(error))
            return None

    row.npsn = parse(parse_npsn, cells["npsn"]) or ""
    if "name" in columns:
        values["name"] = cells["name"]
    if "level" in columns or "education_form" in columns:
        written_level = cells.get("level", "")
        education_form = cells.get("education_form", "")
        level = parse_level(written_level) or parse_level(education_form)
        if level:
            values["level"] = level
            if "ministry" not in columns:
                values["ministry"] = ministry_for(education_form, level)
        elif written_level or education_form:
            result.fail(
                _("Unknown level or form of education '%(value)s'.")
                % {"value": written_level or education_form}
            )
        if "education_form" in columns:
            values["education_form"] = education_form
    if "ministry" in columns:
        values["ministry"] = parse(parse_ministry, cells["ministry"])
    if "status" in columns:
        values["status"] = parse(parse_status, cells["status"])
    for text_field in ("address", "headteacher", "phone", "tppk_contact", "source"):
        if text_field in columns:
            values[text_field] = cells[text_field]
    if "email" in columns:
        values["email"] = parse(parse_email, cells["email"])
    if {"district", "village", "village_code"} & columns.keys():
        _parse_place(cells, columns, places, values, result)
    if "latitude" in columns or "longitude" in columns:
        coordinates = parse(
            parse_coordinates, cells.get("latitude", ""), cells.get("longitude", "")
        )
        if coordinates:
            values["latitude"], values["longitude"] = coordinates
    for count_field in ("students_male", "students_female"):
        if count_field in columns:
            label = School._meta.get_field(count_field).verbose_name
            values[count_field] = parse(parse_count, cells[count_field], capfirst(label))
    if "is_active" in columns:
        values["is_active"] = parse(parse_bool, cells["is_active"])
    if "tppk_status" in columns:
        values["tppk_status"] = parse(parse_tppk, cells["tppk_status"])
    if "tppk_decree_date" in columns:
        values["tppk_decree_date"] = parse(parse_date, cells["tppk_decree_date"])
    return row


def _parse_place(cells, columns, places: Places, values: dict, result: RowResult) -> None:
    district_text = cells.get("district", "")
    code_text = cells.get("village_code", "")
    village_text = cells.get("village", "")
    district = village = None
    if district_text:
        district = places.district(district_text)
        if district is None:
            result.fail(_unknown_district(district_text, places))
            return
    if code_text:
        village = places.villages_by_code.get(code_key(code_text))
        if village is None:
            result.fail(_("Unknown desa/kelurahan code '%(code)s'.") % {"code": code_text})
            return
        if district and village.district_id != district.pk:
            result.fail(
                _("%(village)s (%(code)s) is not in Kecamatan %(district)s.")
                % {"village": village, "code": code_text, "district": district.name}
            )
            return
        district = village.district
    elif village_text:
        if district is None:
            result.fail(
                _("Desa/kelurahan '%(name)s' needs its kecamatan to be found.")
                % {"name": village_text}
            )
            return
        village = places.village(district, village_text)
        if village is None:
            result.fail(
                _("Unknown desa/kelurahan '%(name)s' in Kecamatan %(district)s.")
                % {"name": village_text, "district": district.name}
            )
            return
    if district is None:
        result.fail(_("The kecamatan is empty."))
        return
    values["district"] = district
    if "village" in columns or "village_code" in columns:
        values["village"] = village
    result.place = f"{district.name} / {village.name}" if village else district.name


def _unknown_district(text: str, places: Places) -> str:
    same_name = places.ambiguous.get(region_name_key(text, DISTRICT_PREFIXES))
    if same_name:
        return _(
            "Kecamatan '%(name)s' is in more than one regency (%(regencies)s): give its "
            "Kemendagri code instead."
        ) % {
            "name": text,
            "regencies": ", ".join(
                f"{district.regency.name} {district.code}"
                for district in sorted(same_name, key=lambda district: district.code)
            ),
        }
    if len(places.regencies) == 1:
        return _("Unknown kecamatan '%(name)s': not a kecamatan of %(regency)s.") % {
            "name": text,
            "regency": places.regencies[0],
        }
    return _("Unknown kecamatan '%(name)s': not in the registry.") % {"name": text}


def _flag_duplicate_npsn(rows: list[_SchoolRow]) -> None:
    numbers = defaultdict(list)
    for row in rows:
        if row.npsn:
            numbers[row.npsn].append(row.result.number)
    for row in rows:
        seen = numbers.get(row.npsn, [])
        if len(seen) > 1:
            row.result.fail(
                _("NPSN %(npsn)s appears more than once in the file (rows %(rows)s).")
                % {"npsn": row.npsn, "rows": ", ".join(map(str, seen))}
            )


REQUIRED_ON_CREATE = {
    "name": gettext_lazy("The school name is empty."),
    "level": gettext_lazy("The level (bentuk pendidikan) is empty."),
    "status": gettext_lazy("The school status (negeri/swasta) is empty."),
    "district": gettext_lazy("The kecamatan is empty."),
}


def _new_school(row: _SchoolRow) -> School:
    school = School(npsn=row.npsn, **row.values)
    for field_name, message in REQUIRED_ON_CREATE.items():
        if not row.values.get(field_name):
            row.result.fail(str(message))
    return school


def _apply_changes(school: School, values: dict) -> dict[str, str]:
    """Set the values that differ; returns {field: label} of what changed."""
    changes = {}
    for name, value in values.items():
        field = School._meta.get_field(name)
        current = getattr(school, field.attname)
        new = value.pk if field.is_relation and value is not None else value
        if current != new:
            setattr(school, name, value)
            changes[field.name] = str(field.verbose_name)
    return changes


# Values that their parsers above already made valid: the places come from Places, the
# choices from fixed maps, the coordinates are range-checked.
PARSED_FIELDS = {
    "district", "village", "level", "status", "ministry", "tppk_status", "latitude",
    "longitude", "is_active", "tppk_decree_date",
}  # fmt: skip


def _is_valid(school: School, result: RowResult, *, checked) -> bool:
    """The model's own validation (lengths, email, counts, its clean()) of the other
    fields the file gives, without per-row queries: NPSNs are matched in bulk above.
    At 10,000 rows, skipping what is already checked keeps the import fast."""
    if result.status == RowStatus.ERROR:
        return False
    unchecked = [
        field.name
        for field in School._meta.fields
        if field.name not in checked or field.name in PARSED_FIELDS
    ]
    try:
        school.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = None if name == NON_FIELD_ERRORS else School._meta.get_field(name).verbose_name
            for message in messages:
                result.fail(f"{capfirst(label)}: {message}" if label else message)
        return False
    return True


# The admin's upload -> preview -> confirm


def school_import_preview(*, upload, user) -> SchoolImport:
    """Read an uploaded file without writing to the registry, and keep it on the
    server for the confirmation. Raises ImportFileError for an unreadable file."""
    _purge_stale_previews()
    report = school_import(file=upload, dry_run=True, source=_import_source(upload.name))
    upload.seek(0)
    record = SchoolImport(file_name=Path(upload.name).name[:255], uploaded_by=user)
    record.report = report.as_dict()
    record.file.save("upload", File(upload), save=False)
    record.save()
    return record


class ImportNotPending(Exception):
    """The import was already confirmed (e.g. a second click on the button)."""


@transaction.atomic
def school_import_confirm(*, import_id, user) -> SchoolImport:
    """Import a previewed file for real, skipping the rows the preview flagged."""
    record = SchoolImport.objects.select_for_update().get(pk=import_id, uploaded_by=user)
    if record.status != SchoolImport.Status.PREVIEWED:
        raise ImportNotPending
    with record.file.open("rb") as stored:
        report = school_import(
            file=stored, skip_invalid=True, source=_import_source(record.file_name)
        )
    stored_name = record.file.name
    record.status = SchoolImport.Status.IMPORTED
    record.imported_at = timezone.now()
    record.report = report.as_dict()
    record.file = ""
    record.save()
    # Only once the import is committed: a rollback must leave the file for a retry.
    transaction.on_commit(lambda: SchoolImport.file.field.storage.delete(stored_name))
    return record


def _import_source(file_name: str) -> str:
    return _("Import of %(file)s") % {"file": Path(file_name).name}


def _purge_stale_previews() -> None:
    """Files uploaded but never confirmed are not kept beyond a day."""
    stale = SchoolImport.objects.filter(
        status=SchoolImport.Status.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_LIFETIME
    )
    for record in stale:
        record.file.delete(save=False)
    stale.delete()
