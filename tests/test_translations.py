"""Indonesian is the default language: every string in our code must have a translation,
and the compiled catalogue must match the source catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import require_in_ci

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
# What Wagtail's own catalogues lack (tests/cms/test_admin_indonesian.py).
WAGTAIL_CATALOGUES = sorted(
    (Path(settings.BASE_DIR) / "locale_wagtail").glob("id/LC_MESSAGES/*.po")
)
ALL_CATALOGUES = [CATALOGUE, *WAGTAIL_CATALOGUES]
SOURCES = ["manage.py", "cms", "schools", "campaigns", "quizzes", "monitoring", "locale", "static"]


def untranslated(po: polib.POFile) -> list[str]:
    return [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]


@pytest.mark.parametrize(
    "catalogue", ALL_CATALOGUES, ids=lambda path: path.parent.parent.parent.name + "/" + path.name
)
def test_catalogue_is_complete_and_not_fuzzy(catalogue):
    po = polib.pofile(str(catalogue))
    assert untranslated(po) == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize(
    "catalogue", ALL_CATALOGUES, ids=lambda path: path.parent.parent.parent.name + "/" + path.name
)
def test_compiled_catalogue_matches_the_source(catalogue):
    po = polib.pofile(str(catalogue))
    mo = polib.mofile(str(catalogue.with_suffix(".mo")))
    translated = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in po.translated_entries()}
    compiled = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in mo}
    assert translated - compiled == set(), "run `make messages` to recompile"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again, from a copy of the code, and look for new ones."""
    if shutil.which("xgettext") is None:
        require_in_ci("extracting strings needs GNU gettext (apt install gettext)")
    for name in SOURCES:
        source = Path(settings.BASE_DIR) / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        # as `make messages` does
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--no-obsolete",
            "--ignore=cms/templates/wagtail*",
        ],  # fmt: skip
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    assert untranslated(fresh) == [], "run `make messages` and translate the new strings"
