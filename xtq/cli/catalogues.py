"""The message catalogues in xtq/translations: extract, update and compile them.

Source strings are Chinese, so the zh_CN catalogue is the source itself (msgstr = msgid: complete
by construction); the English one is translated by hand and kept across updates. The compiled .mo
files are committed, so a fresh clone and a deployer need no build step.

    python -m xtq.cli.catalogues           extract, rewrite zh_CN, merge en (new entries empty), compile
    python -m xtq.cli.catalogues --check   exit 1 if anything is missing, empty or not compiled
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from xtq.config import ROOT

TRANSLATIONS = ROOT / "xtq" / "translations"
LOCALES = ("zh_CN", "en")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_pgettext": ((1, "c"), 2),
}  # flask_babel's lazy forms, for module-level text


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _wanted(path: str) -> bool:
    """Babel skips folders starting with _ by default; our templates have _partials and _macros."""
    name = os.path.basename(path)
    return not name.startswith(".") and name not in ("__pycache__", "node_modules")


def extract() -> Catalog:
    """Every interface string in the code and templates (babel.cfg says where to look)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="xtq", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True, directory_filter=_wanted
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(locale: str) -> Catalog:
    with open(po_path(locale), "rb") as f:
        return read_po(f, locale=locale)


def _fresh(template: Catalog, locale: str) -> Catalog:
    catalog = Catalog(locale=locale, project="xtq", charset="utf-8", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, None, message.locations, flags=message.flags, context=message.context)
    return catalog


def chinese(template: Catalog) -> Catalog:
    catalog = _fresh(template, "zh_CN")
    for message in catalog:
        if message.id:
            message.string = (message.id[-1],) if message.pluralizable else message.id  # zh_CN: one form
    return catalog


def english(template: Catalog, previous: Catalog | None) -> Catalog:
    catalog = _fresh(template, "en")
    for message in catalog:
        old = previous.get(message.id, message.context) if previous else None
        if message.id and old is not None and old.string:
            message.string = old.string
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def write(catalog: Catalog, locale: str) -> None:
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    path.with_suffix(".mo").write_bytes(compiled(read(locale)))


def problems() -> list[str]:
    """What stops the catalogues from being complete: missing or empty entries, stale .mo files."""
    found = []
    ids = {m.id for m in extract() if m.id}
    for locale in LOCALES:
        catalog = read(locale)
        have = {m.id for m in catalog if m.id}
        found += [f"{locale}: missing {i!r}" for i in sorted(ids - have, key=str)]
        for m in catalog:
            if m.id and (not m.string or (m.pluralizable and not all(m.string))):
                found.append(f"{locale}: empty {m.id!r}")
        if po_path(locale).with_suffix(".mo").read_bytes() != compiled(catalog):
            found.append(f"{locale}: messages.mo does not match messages.po (run python -m xtq.cli.catalogues)")
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        print("\n".join(found) or "catalogues complete")
        return 1 if found else 0
    template = extract()
    previous = read("en") if po_path("en").exists() else None
    write(chinese(template), "zh_CN")
    write(english(template, previous), "en")
    empty = [m.id for m in read("en") if m.id and not m.string]
    print(f"{len(template)} messages; English still to translate: {len(empty)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
