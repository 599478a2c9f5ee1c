"""No district is written into the code: the office, the region and the time zone come
from the district profile (cms/district.py). PPU's names and its zone's label may only
be in the demo data and in the profile's own definition (the three zones)."""

import re
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["cms", "schools", "campaigns", "quizzes", "monitoring"]
NAMES = re.compile(r"Penajam|PPU|WITA", re.IGNORECASE)
# The demo data (and the load generator's, which builds on it), and the profile's
# definition of the zones (their labels, and the provinces in each).
ALLOWED = {
    "cms/demo.py",
    "schools/demo.py",
    "campaigns/demo.py",
    "quizzes/demo.py",
    "monitoring/demo.py",
    "monitoring/management/commands/seed_load.py",
    "cms/district.py",
    "cms/migrations/0010_district_profile.py",
}
ZONE_LABEL = "WITA (UTC+8): Bali, Nusa Tenggara, the rest of Kalimantan, Sulawesi"


def offending_lines(paths) -> list[str]:
    found = []
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or relative.startswith("schools/data/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if NAMES.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_template_names_a_district_or_its_zone():
    templates = [
        path
        for app in APPS
        for path in (ROOT / app / "templates").rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".css", ".svg", ".xml"}
    ]
    assert len(templates) > 100
    assert offending_lines(templates) == []


def test_no_code_or_migration_names_a_district_or_its_zone():
    modules = [path for app in APPS for path in (ROOT / app).rglob("*.py")]
    assert offending_lines(modules) == []


def test_no_message_names_a_district_or_its_zone():
    catalogue = polib.pofile(str(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    found = [
        entry.msgid
        for entry in catalogue
        if entry.msgid != ZONE_LABEL
        and (NAMES.search(entry.msgid) or NAMES.search(entry.msgstr))
        and not all(path in ALLOWED for path, _line in entry.occurrences)
    ]
    assert found == []


def test_the_check_would_see_a_name():
    line = "Sekolah Aman · DP3AP2KB Kabupaten Penajam Paser Utara, 09.00 WITA"
    assert NAMES.findall(line) == ["Penajam", "WITA"]
