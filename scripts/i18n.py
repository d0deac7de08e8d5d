"""Keep i18n/zh_CN.po in step with the module's terms.

    i18n.py merge POT   write POT to i18n/aftersales_service.pot and merge it
                        into i18n/zh_CN.po (translations kept, new terms added
                        untranslated, vanished terms dropped)
    i18n.py check POT   fail unless every term of POT has a zh_CN translation
                        with the same placeholders

POT is a template freshly exported by Odoo (scripts/i18n and scripts/test do it).
"""

import re
import shutil
import sys
from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "i18n"
POT = I18N / "aftersales_service.pot"
PO = I18N / "zh_CN.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%s|%d|\{[a-z_]*\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def merge(template_path):
    shutil.copyfile(template_path, POT)
    template = polib.pofile(str(POT))
    current = polib.pofile(str(PO)) if PO.exists() else polib.POFile()
    known = {entry.msgid: entry for entry in current}
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(template.metadata)
    merged.metadata.update(
        {"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"}
    )
    for entry in template:
        old = known.get(entry.msgid)
        entry.msgstr = old.msgstr if old else ""
        merged.append(entry)
    merged.save(str(PO))
    missing = [entry.msgid for entry in merged if not entry.msgstr]
    print(f"{len(merged)} terms, {len(missing)} without a translation")
    return missing


def check(template_path):
    template = polib.pofile(str(template_path))
    translations = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO))}
    problems = []
    for entry in template:
        text = translations.get(entry.msgid)
        if not text:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif placeholders(text) != placeholders(entry.msgid):
            problems.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    for problem in problems:
        print(problem)
    print(f"zh_CN: {len(template)} terms, {len(problems)} problems")
    return not problems


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("merge", "check"):
        sys.exit(__doc__)
    if sys.argv[1] == "merge":
        merge(sys.argv[2])
    else:
        sys.exit(0 if check(sys.argv[2]) else 1)
