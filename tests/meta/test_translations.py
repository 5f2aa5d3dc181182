"""Every user-facing string has its Simplified Chinese text.

Extracts the messages afresh from a copy of the sources (GNU gettext, as
``make messages`` does) and fails on any msgid missing from the committed
catalogue, left empty, or marked fuzzy. English is the source language.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORES = [".venv/*", "tests/*", "bench/*", "var/*", "scripts/*", "*/vendor/*"]


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed for this check: run `make system-deps` (apt-get install gettext)")
    work = tmp_path_factory.mktemp("messages")
    shutil.copytree(ROOT / "src", work / "src")
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    (work / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(work / "src"), "DJANGO_SETTINGS_MODULE": "exemplar.config.settings"}
    env["EXEMPLAR_VAR_DIR"] = str(work / "var")
    cmd = [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-location"]
    for pattern in IGNORES:
        cmd += ["--ignore", pattern]
    subprocess.run(cmd, cwd=work, env=env, check=True, capture_output=True)
    return polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_message_has_chinese_text(extracted: polib.POFile) -> None:
    committed = {_key(e): e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    missing = [e.msgid for e in extracted if _key(e) not in committed]
    untranslated = [e.msgid for e in extracted if _key(e) in committed and not _is_translated(committed[_key(e)])]
    assert (missing, untranslated) == ([], []), (
        "Run `make messages` and translate the new strings in locale/zh_Hans/LC_MESSAGES/django.po"
    )


def test_catalogue_header_is_usable() -> None:
    po = polib.pofile(str(CATALOGUE))
    assert (po.metadata.get("Content-Type"), po.metadata.get("Language")) == ("text/plain; charset=UTF-8", "zh_Hans")
    assert not po.metadata_is_fuzzy


def test_placeholders_survive_translation() -> None:
    """A translation keeps every %(name)s and {{ var }} of its source, or the page would crash or lie."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}")
    broken = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not _is_translated(entry):
            continue
        sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid_plural]
        targets = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        wanted = sorted(set(pattern.findall(sources[0])))
        broken += [entry.msgid for t in targets if sorted(set(pattern.findall(t))) != wanted]
    assert broken == []
