"""The languages letters are written in: their codes, names and direction, reading a person's recorded language
(free text) as a code, and the few words the letter's frame prints around the wording (labels, month names,
the facts written in words). Pure: no database, no rendering.

Codes are ISO 639-1 (``en``, ``cy``, ``ar``...). Wording exists in a language when a template of that code is in
force; a person whose language has none gets the English letter, flagged "translation needed".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ENGLISH = "en"
WELSH = "cy"
ARABIC = "ar"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, as staff read it: "translation needed: Polish"
    native: str  # as its speakers write it
    direction: str = "ltr"
    aliases: tuple[str, ...] = ()

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


# The languages a manager may write wording in (and a recorded language is recognised as). Others recorded
# as free text are still named in the "translation needed" flag, as typed.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(ENGLISH, "English", "English", aliases=("british english", "eng", "en-gb")),
        Language(WELSH, "Welsh", "Cymraeg", aliases=("cym", "cy-gb", "welsh language")),
        Language(ARABIC, "Arabic", "العربية", "rtl", aliases=("ara", "arabic (egyptian)", "arabic (levantine)")),
        Language("ur", "Urdu", "اردو", "rtl", aliases=("urd",)),
        Language("fa", "Persian (Farsi)", "فارسی", "rtl", aliases=("farsi", "persian", "dari")),
        Language("pl", "Polish", "Polski", aliases=("pol",)),
        Language("pa", "Punjabi", "ਪੰਜਾਬੀ", aliases=("panjabi",)),
        Language("bn", "Bengali", "বাংলা", aliases=("bangla", "sylheti")),
        Language("gu", "Gujarati", "ગુજરાતી"),
        Language("ro", "Romanian", "Română"),
        Language("lt", "Lithuanian", "Lietuvių"),
        Language("pt", "Portuguese", "Português"),
        Language("es", "Spanish", "Español"),
        Language("fr", "French", "Français"),
        Language("so", "Somali", "Soomaali"),
        Language("ku", "Kurdish", "Kurdî", aliases=("kurdish (sorani)", "sorani", "kurmanji")),
        Language("ti", "Tigrinya", "ትግርኛ"),
        Language("zh", "Chinese", "中文", aliases=("mandarin", "cantonese")),
        Language("uk", "Ukrainian", "Українська"),
        Language("ru", "Russian", "Русский"),
        Language("tr", "Turkish", "Türkçe"),
    )
}

# Recorded languages that mean "write to them in English": sign languages have no written form, and a BSL
# user's letters are written in English (with the BSL explainer, where one is configured).
WRITTEN_IN_ENGLISH = frozenset({"bsl", "british sign language", "sign language", "british sign language (bsl)"})


def language_choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.name) for lang in LANGUAGES.values()]


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold().strip()
    text = re.sub(r"\s+", " ", text)
    return text


_BY_NAME: dict[str, str] = {}
for _lang in LANGUAGES.values():
    for _name in (_lang.code, _lang.name, _lang.native, *_lang.aliases):
        _BY_NAME[_folded(_name)] = _lang.code


@dataclass(frozen=True)
class Wanted:
    """The language a person's letters should be in: a code when the service knows the language, and its name
    for people (the flag says "translation needed: <name>")."""

    code: str | None
    name: str

    @property
    def english(self) -> bool:
        return self.code == ENGLISH


def wanted_language(recorded: str) -> Wanted:
    """Read a party's recorded language (free text: "Welsh", "Cymraeg", "cy", "Polish only", "Arabic
    (Egyptian)") as the language their letters are wanted in. Blank, English and sign languages are English;
    a language the service has no code for keeps its name as typed."""
    folded = _folded(recorded)
    if not folded or folded in WRITTEN_IN_ENGLISH:
        return Wanted(ENGLISH, "English")
    candidates = [folded, re.sub(r"\s*\(.*?\)\s*", " ", folded).strip()]
    # "Polish only", "speaks Urdu", "Welsh language": the known name among the words.
    candidates += re.split(r"[\s,/;]+|\band\b", candidates[-1])
    for candidate in candidates:
        code = _BY_NAME.get(candidate.strip())
        if code is not None:
            return Wanted(code, LANGUAGES[code].name)
    if "sign" in folded:
        return Wanted(ENGLISH, "English")
    return Wanted(None, " ".join(recorded.split())[:60])


def language_name(code: str) -> str:
    found = LANGUAGES.get(code)
    return found.name if found else code


def direction(code: str) -> str:
    found = LANGUAGES.get(code)
    return found.direction if found else "ltr"


def html_lang(code: str) -> str:
    """The ``lang`` attribute of a letter's HTML version (British English and Welsh are en-GB and cy-GB)."""
    return {ENGLISH: "en-GB", WELSH: "cy-GB"}.get(code, code)


# ---------------------------------------------------------------------------------------------------
# The words around the wording: the letter's frame, dates and the facts written in words

LABELS: dict[str, dict[str, str]] = {
    ENGLISH: {
        "confidential": "Private and confidential",
        "date": "Date",
        "reference": "Our reference",
        "page": "Page {page} of {total}",
        "running_head": "{reference}: private and confidential",
        "phone": "Phone",
        "email": "Email",
    },
    WELSH: {
        "confidential": "Preifat a chyfrinachol",
        "date": "Dyddiad",
        "reference": "Ein cyfeirnod",
        "page": "Tudalen {page} o {total}",
        "running_head": "{reference}: preifat a chyfrinachol",
        "phone": "Ffôn",
        "email": "E-bost",
    },
    ARABIC: {
        "confidential": "خاص وسري",
        "date": "التاريخ",
        "reference": "رقمنا المرجعي",
        "page": "صفحة {page} من {total}",
        "running_head": "{reference}: خاص وسري",
        "phone": "الهاتف",
        "email": "البريد الإلكتروني",
    },
}


def label(code: str, key: str, **values) -> str:
    text = LABELS.get(code, LABELS[ENGLISH]).get(key) or LABELS[ENGLISH][key]
    return text.format(**values) if values else text


MONTHS = {
    WELSH: (
        "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr".split(),
        "Dydd Llun|Dydd Mawrth|Dydd Mercher|Dydd Iau|Dydd Gwener|Dydd Sadwrn|Dydd Sul".split("|"),
    ),
    ARABIC: (
        "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split(),
        "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split(),
    ),
}


def month_name(code: str, month: int) -> str | None:
    found = MONTHS.get(code)
    return found[0][month - 1] if found else None


def weekday_name(code: str, weekday: int) -> str | None:
    found = MONTHS.get(code)
    return found[1][weekday] if found else None


# Facts the service writes in words (not typed by staff), in the languages it has wording in. A phrase with no
# translation here prints in English.
PHRASES: dict[str, dict[str, str]] = {
    WELSH: {
        "The restorative justice team": "Y tîm cyfiawnder adferol",
        "Restorative justice facilitator": "Hwylusydd cyfiawnder adferol",
        "to be confirmed": "i'w gadarnhau",
        "none given": "dim wedi'i roi",
        "person harmed": "y person a niweidiwyd",
        "person responsible": "y person cyfrifol",
        "supporter": "cefnogwr",
        "facilitator": "hwylusydd",
        "face-to-face conference": "cynhadledd wyneb yn wyneb",
        "indirect shuttle communication": "cyfathrebu anuniongyrchol drwy'r hwylusydd",
        "letter of explanation or apology": "llythyr o esboniad neu ymddiheuriad",
        "recorded message": "neges wedi'i recordio",
        "community conference": "cynhadledd gymunedol",
        "{what}: {who}, by {due}. How it will be checked: {how}": "{what}: {who}, erbyn {due}. Sut y caiff ei "
        "wirio: {how}",
        "The referral was declined, so the service did not work on this case.": (
            "Gwrthodwyd yr atgyfeiriad, felly ni weithiodd y gwasanaeth ar yr achos hwn."
        ),
        "After careful assessment, restorative justice was not found to be suitable in this case.": (
            "Ar ôl asesiad gofalus, penderfynwyd nad yw cyfiawnder adferol yn addas yn yr achos hwn."
        ),
        "The restorative activity took place. No written agreement was needed.": (
            "Cynhaliwyd y gweithgaredd adferol. Nid oedd angen cytundeb ysgrifenedig."
        ),
        "The restorative activity took place, but no agreement was reached.": (
            "Cynhaliwyd y gweithgaredd adferol, ond ni ddaethpwyd i gytundeb."
        ),
        "The restorative activity took place, an agreement was made, and everything that was agreed has been done.": (
            "Cynhaliwyd y gweithgaredd adferol, gwnaed cytundeb, ac mae popeth a gytunwyd wedi'i wneud."
        ),
        "The restorative activity took place and an agreement was made. Some of what was agreed has been done, "
        "but not all of it.": (
            "Cynhaliwyd y gweithgaredd adferol a gwnaed cytundeb. Mae rhywfaint o'r hyn a gytunwyd wedi'i wneud, "
            "ond nid y cyfan."
        ),
        "The restorative activity took place and an agreement was made, but what was agreed was not done.": (
            "Cynhaliwyd y gweithgaredd adferol a gwnaed cytundeb, ond ni wnaed yr hyn a gytunwyd."
        ),
        "The restorative process stopped because someone decided not to continue. Taking part is always voluntary.": (
            "Daeth y broses adferol i ben oherwydd bod rhywun wedi penderfynu peidio â pharhau. Mae cymryd rhan "
            "bob amser yn wirfoddol."
        ),
    },
    ARABIC: {
        "The restorative justice team": "فريق العدالة التصالحية",
        "Restorative justice facilitator": "ميسر العدالة التصالحية",
        "to be confirmed": "سيتم تأكيده",
    },
}


def phrase(code: str, english: str) -> str:
    """The service's own words ``english`` in language ``code``, or in English where there is no translation."""
    return PHRASES.get(code, {}).get(english, english)


# ---------------------------------------------------------------------------------------------------
# Left-to-right facts in right-to-left wording

LRE, PDF = "\u202a", "\u202c"
BIDI_CONTROLS_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RTL_LETTER_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR_STRONG_RE = re.compile("[A-Za-z0-9\u00c0-\u024f]")


def embed_left_to_right(value: str) -> str:
    """A fact written left to right (a phone number, an email, a name in Latin letters) kept in its own order
    inside right-to-left wording: without the embedding, "0161 496 0000" would show as "0000 496 0161"."""
    if _LTR_STRONG_RE.search(value) and not _RTL_LETTER_RE.search(value):
        return f"{LRE}{value}{PDF}"
    return value


def embed_facts(facts: dict) -> dict:
    return {
        key: [embed_left_to_right(str(v)) for v in value]
        if isinstance(value, list | tuple)
        else embed_left_to_right(str(value))
        for key, value in facts.items()
    }


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS_RE.sub("", text)
