"""Keep the module's zh_CN translations in step with the terms.

    i18n.py merge POT [HELPDESK_POT]
        write POT to i18n/aftersales_service.pot and merge it into
        i18n/zh_CN.po (translations kept, new terms added untranslated,
        vanished terms dropped); with HELPDESK_POT (an export of
        helpdesk_mgmt and helpdesk_mgmt_sla), merge the terms of those
        modules that we ship into i18n_extra/zh_CN.po the same way
    i18n.py check POT [HELPDESK_POT]
        fail unless every term of POT has a zh_CN translation with the same
        placeholders, the fixed terms of GLOSSARY are kept, and every
        helpdesk term we ship (all of HELPDESK_POT but Python/JS code terms,
        which only helpdesk_mgmt's own zh_CN.po can translate) is translated
        in i18n_extra/zh_CN.po with the same placeholders and markup
    i18n.py terms
        list, for every short label of i18n/zh_CN.po, the entries that use
        its English words without its Chinese translation (to review)

POT files are templates freshly exported by Odoo (scripts/i18n and
scripts/test do it).

Why i18n_extra: helpdesk_mgmt ships no zh_CN.po. Odoo loads every
<module>/i18n*/zh_CN.po of an installed module and applies its model and
model_terms entries by the xmlid of each occurrence, whichever module owns
it (odoo/tools/translate.py, PoFileReader and TranslationImporter), so our
module can carry the labels, views, stages, channels and mail templates of
helpdesk_mgmt. They live apart from i18n/zh_CN.po because Odoo merges that
file with i18n/aftersales_service.pot when loading it and would drop every
term not in our template; i18n_extra has no template.
"""

import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
POT = I18N / "aftersales_service.pot"
PO = I18N / "zh_CN.po"
EXTRA_PO = ROOT / "i18n_extra" / "zh_CN.po"
EXTRA_MODULES = ("helpdesk_mgmt", "helpdesk_mgmt_sla")
PLACEHOLDER = re.compile(
    r"%\([a-z_]+\)s|%s|%d|\{[a-z_]*\}|\{\{.+?\}\}|t-(?:out|esc|field)=\"[^\"]*\""
)
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")

# One Chinese term per meaning (issue #11). Each rule: English pattern of the
# msgid, the Chinese its translation must contain (or None), and a pattern
# the translation must not contain (or None).
GLOSSARY = [
    (r"\bwarranty vouchers?\b", "三包凭证", None),
    (r"\bvouchers?\b", None, r"(?<!三包)(?<!本)凭证"),
    (r"\bwarranty claims?\b(?! appraisal)", "三包索赔", None),
    (r"\bclaims?\b", None, r"索赔单"),
    (r"\b(supplier|warranty) deposits?\b", "质保", r"三包(?!索赔|凭证)"),
    (r"\brevers(e|es|ed|al|als|ing)\b", "冲销", None),
    (r"\bsettle(s|d|ment)?\b", "处理", None),
    (r"\bcoverage\b", "保修范围", None),
    (r"\brepair records?\b", "维修记录", None),
    (r"\bspare-parts plans?\b", "备品备件计划", None),
    (r"\bwork done\b", None, r"维修内容"),
    (r"\bremed(y|ies)\b", None, r"处理方式"),
]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def tags(text):
    return sorted(TAG.findall(text))


def _occurrence_module(occurrence):
    """'model:helpdesk.ticket.stage,name:helpdesk_mgmt.stage_new' -> module."""
    match = re.match(r"(?:model|model_terms):[\w.]+,\w+:(\w+)\.", occurrence)
    return match and match.group(1)


def _shipped(entry):
    """The helpdesk entry as we ship it: its model and model_terms
    occurrences only (code terms come from the module's own po file)."""
    occurrences = [
        occ for occ in entry.occurrences if _occurrence_module(occ[0]) in EXTRA_MODULES
    ]
    if not occurrences:
        return None
    modules = sorted({_occurrence_module(occ) for occ, _line in occurrences})
    entry.occurrences = occurrences
    # PoFileReader takes the module from the first "module(s):" comment.
    label = "modules" if len(modules) > 1 else "module"
    entry.comment = f"{label}: {', '.join(modules)}"
    return entry


def _code_terms(template):
    return [
        entry.msgid
        for entry in template
        if any(occ.startswith("code:") for occ, _line in entry.occurrences)
    ]


def merge(template_path, helpdesk_path=None):
    shutil.copyfile(template_path, POT)
    template = polib.pofile(str(POT))
    missing = _merge_into(template, PO)
    if helpdesk_path:
        shipped = polib.POFile()
        shipped.metadata = dict(polib.pofile(str(helpdesk_path)).metadata)
        for entry in polib.pofile(str(helpdesk_path)):
            if _shipped(entry):
                shipped.append(entry)
        EXTRA_PO.parent.mkdir(exist_ok=True)
        # A helpdesk field our module relabels exports our label: translate
        # it as i18n/zh_CN.po does, both files name the same record.
        missing += _merge_into(shipped, EXTRA_PO, fallback=PO)
    return missing


def _merge_into(template, po_path, fallback=None):
    known = {}
    for path in (fallback, po_path):
        if path and path.exists():
            known.update(
                {
                    entry.msgid: entry
                    for entry in polib.pofile(str(path))
                    if entry.msgstr
                }
            )
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(template.metadata)
    merged.metadata.update(
        {"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"}
    )
    for entry in template:
        old = known.get(entry.msgid)
        entry.msgstr = old.msgstr if old else ""
        merged.append(entry)
    merged.save(str(po_path))
    missing = [entry.msgid for entry in merged if not entry.msgstr]
    print(
        f"{po_path.relative_to(ROOT)}: {len(merged)} terms, "
        f"{len(missing)} without a translation"
    )
    return missing


def glossary_problems(po):
    problems = []
    rules = [
        (re.compile(en, re.IGNORECASE), zh, bad and re.compile(bad))
        for en, zh, bad in GLOSSARY
    ]
    for entry in po:
        if not entry.msgstr:
            continue
        for english, required, forbidden in rules:
            if not english.search(entry.msgid):
                continue
            if required and required not in entry.msgstr:
                problems.append(
                    f"glossary: {entry.msgid!r} -> {entry.msgstr!r} lacks {required}"
                )
            if forbidden and forbidden.search(entry.msgstr):
                problems.append(
                    f"glossary: {entry.msgid!r} -> {entry.msgstr!r} "
                    f"uses {forbidden.pattern}"
                )
    return problems


def check(template_path, helpdesk_path=None):
    template = polib.pofile(str(template_path))
    po = polib.pofile(str(PO))
    translations = {entry.msgid: entry.msgstr for entry in po}
    problems = []
    for entry in template:
        text = translations.get(entry.msgid)
        if not text:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif placeholders(text) != placeholders(entry.msgid):
            problems.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    problems += glossary_problems(po)
    shipped, extra_problems = check_helpdesk(helpdesk_path)
    problems += extra_problems
    for problem in problems:
        print(problem)
    print(
        f"zh_CN: {len(template)} terms, {shipped} helpdesk terms shipped, "
        f"{len(problems)} problems"
    )
    return not problems


def check_helpdesk(helpdesk_path=None):
    """Problems of i18n_extra/zh_CN.po; with a fresh export of the helpdesk
    modules, also every term of theirs we ship that the file lacks."""
    problems = []
    extra = polib.pofile(str(EXTRA_PO)) if EXTRA_PO.exists() else polib.POFile()
    translations = {}
    for entry in extra:
        translations[entry.msgid] = entry.msgstr
        foreign = [
            occ
            for occ, _line in entry.occurrences
            if _occurrence_module(occ) not in EXTRA_MODULES
        ]
        if foreign or not entry.occurrences:
            problems.append(
                f"i18n_extra: {entry.msgid!r} is not a helpdesk model term: "
                f"{foreign or 'no occurrence'}"
            )
        problems += _translation_problems("i18n_extra", entry.msgid, entry.msgstr)
    if helpdesk_path:
        template = polib.pofile(str(helpdesk_path))
        code = _code_terms(template)
        for entry in template:
            if _shipped(entry) and not translations.get(entry.msgid):
                problems.append(f"helpdesk untranslated: {entry.msgid!r}")
        if code:
            print(
                f"helpdesk: {len(code)} terms stay English where Python/JS code "
                "shows them (only helpdesk_mgmt's own zh_CN.po can translate "
                "code terms):"
            )
            print("  " + "; ".join(repr(msgid) for msgid in code))
    return len(extra), problems


def _translation_problems(where, msgid, text):
    if not text:
        return [f"{where} untranslated: {msgid!r}"]
    if placeholders(text) != placeholders(msgid):
        return [f"{where} placeholders differ: {msgid!r} -> {text!r}"]
    if tags(text) != tags(msgid):
        return [f"{where} markup differs: {msgid!r} -> {text!r}"]
    return []


def terms():
    """Group the English words of the labels with their translations and list
    the entries that use a label's words without its Chinese term."""
    po = polib.pofile(str(PO))

    def norm(text):
        return re.sub(r"\s+", " ", text).strip()

    def singular(word):
        return word[:-1] if word.endswith("s") and not word.endswith("ss") else word

    labels = defaultdict(set)
    for entry in po:
        text = norm(entry.msgid)
        if re.fullmatch(r"[A-Za-z][A-Za-z\- ]*", text) and len(text.split()) <= 3:
            labels[" ".join(singular(w) for w in text.lower().split())].add(
                entry.msgstr
            )
    for key, translations in sorted(labels.items()):
        pattern = re.compile(
            r"\b" + r"\s+".join(re.escape(w) + "s?" for w in key.split()) + r"\b",
            re.IGNORECASE,
        )
        hits = [entry for entry in po if pattern.search(norm(entry.msgid))]
        bad = [
            entry
            for entry in hits
            if not any(zh and zh in entry.msgstr for zh in translations)
        ]
        if len(translations) > 1 or (bad and len(hits) > 1 and " " in key):
            print(
                f"== {key} -> {sorted(translations)} ({len(bad)}/{len(hits)} without)"
            )
            for entry in bad[:10]:
                print(f"   {norm(entry.msgid)[:80]!r} -> {norm(entry.msgstr)[:60]}")


if __name__ == "__main__":
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "terms" and not args:
        terms()
    elif command == "merge" and 1 <= len(args) <= 2:
        merge(*args)
    elif command == "check" and 1 <= len(args) <= 2:
        sys.exit(0 if check(*args) else 1)
    else:
        sys.exit(__doc__)
