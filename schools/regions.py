"""Writes to the registry: the regions import (the regency, its kecamatan and their
desa/kelurahan by Kemendagri code). All or nothing, like the school import."""

from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.importing import (
    Column,
    ImportReport,
    RowResult,
    RowStatus,
    code_key,
    normalise,
    parse_coordinates,
    read_table,
)
from schools.models import District, Regency, Village, VillageKind
from schools.sheets import ImportFileError

BUNDLED_REGIONS = Path(__file__).resolve().parent / "data" / "regions.csv"
REGION_COLUMNS = [
    Column("code", gettext_lazy("Kemendagri code"), ("kode", "kode wilayah", "kode kemendagri")),
    Column("name", gettext_lazy("Name"), ("nama", "nama wilayah")),
    Column("kind", gettext_lazy("Kind"), ("type", "jenis", "tipe")),
    Column("latitude", gettext_lazy("Latitude"), ("lintang", "centroid lat")),
    Column("longitude", gettext_lazy("Longitude"), ("bujur", "centroid lng")),
]
CODE_LENGTHS = {4: Regency, 6: District, 10: Village}


@transaction.atomic
def region_import(*, file) -> ImportReport:
    """Upsert the regency, its kecamatan and their desa/kelurahan by Kemendagri code
    (with or without dots). The level and parent follow from the code; a village's kind
    from the 'type' column, or else from its code (1xxx kelurahan, 2xxx desa).
    All or nothing."""
    table = read_table(file, REGION_COLUMNS, key="code")
    rows = [(number, cells) for number, cells in table]
    if not rows:
        raise ImportFileError(_("The file has a header row but no regions."))
    codes = defaultdict(list)
    for number, cells in rows:
        codes[code_key(cells["code"])].append(number)
    existing = {
        model: {region.code: region for region in model.objects.all()}
        for model in (Regency, District, Village)
    }
    results = []
    for number, cells in sorted(rows, key=lambda row: (len(code_key(row[1]["code"])), row[0])):
        result = RowResult(number=number, key=cells["code"], name=cells.get("name", ""))
        results.append(result)
        seen = codes[code_key(cells["code"])]
        if len(seen) > 1:
            result.fail(
                _("Code %(code)s appears more than once in the file (rows %(rows)s).")
                % {"code": cells["code"], "rows": ", ".join(map(str, seen))}
            )
            continue
        _import_region(cells, existing, result)
    results.sort(key=lambda result: result.number)
    report = ImportReport(rows=results)
    if report.has_errors:
        transaction.set_rollback(True)
    else:
        report.written = True
    return report


def _import_region(cells: dict, existing: dict, result: RowResult) -> None:
    digits = code_key(cells["code"])
    model = CODE_LENGTHS.get(len(digits)) if digits.isascii() and digits.isdigit() else None
    if model is None:
        result.fail(
            _("Unknown region code '%(code)s' (e.g. 64.09, 64.09.01 or 64.09.01.1001).")
            % {"code": cells["code"]}
        )
        return
    code = ".".join(part for part in (digits[:2], digits[2:4], digits[4:6], digits[6:]) if part)
    values = {"name": cells.get("name", "")}
    if not values["name"]:
        result.fail(_("The name is empty."))
    if model is not Regency:
        parent_model, parent_code = (
            (Regency, code[:5]) if model is District else (District, code[:8])
        )
        parent = existing[parent_model].get(parent_code)
        if parent is None:
            result.fail(_("Its parent region %(code)s is unknown.") % {"code": parent_code})
            return
        values["regency" if model is District else "district"] = parent
        result.place = parent.name
        try:
            values["latitude"], values["longitude"] = parse_coordinates(
                cells.get("latitude", ""), cells.get("longitude", "")
            )
        except ValueError as error:
            result.fail(str(error))
    if model is Village:
        kind = normalise(cells.get("kind", ""))
        if kind not in VillageKind.values:
            kind = {"1": VillageKind.KELURAHAN, "2": VillageKind.DESA}.get(digits[6])
        if kind is None:
            result.fail(_("Is %(code)s a desa or a kelurahan?") % {"code": code})
        values["kind"] = kind
    if result.status == RowStatus.ERROR:
        return
    region = existing[model].get(code)
    if region is None:
        region = model(code=code, **values)
        result.status = RowStatus.CREATED
    else:
        changed = False
        for name, value in values.items():
            if getattr(region, name) != value:
                setattr(region, name, value)
                changed = True
        if not changed:
            return
        result.status = RowStatus.UPDATED
    try:
        region.full_clean(exclude=["regency", "district"], validate_unique=False)
    except ValidationError as error:
        for messages in error.message_dict.values():
            for message in messages:
                result.fail(message)
        return
    region.save()
    existing[model][code] = region
