"""French is complete: every string translated, nothing fuzzy, the catalogue up to date with the
code, and the committed .mo compiled from the committed .po."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "entraide"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def test_french_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    untranslated = [key(e) for e in po.untranslated_entries()]
    fuzzy = [key(e) for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_compiled_catalogue_matches_the_sources():
    po = {key(e): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    mo = {key(e): e.msgstr for e in polib.mofile(str(MO))}
    mo.pop((None, ""), None)
    assert mo == po, "run `make messages` and commit the .mo"


@pytest.mark.timeout(120)
def test_catalogue_knows_every_string_of_the_code(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail("gettext is not installed (apt-get install gettext): the catalogue cannot be checked")
    copy = tmp_path / "entraide"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--settings",
            "tests.settings",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(PACKAGE.parents[1])},
    )
    assert result.returncode == 0, result.stderr
    fresh = {key(e) for e in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))}
    committed = {key(e) for e in polib.pofile(str(PO))}
    assert not fresh - committed, f"run `make messages` and translate: {sorted(fresh - committed, key=str)}"
