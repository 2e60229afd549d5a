"""Quantities in a claim: value, unit or counted noun, and how exact the writer was.

"26 countries" and "twenty-six countries" both become 26 "country"; "£1.4bn" becomes 1.4e9
"GBP"; "a third" becomes 33.33 "%" so it compares with percentages; "thousands of troops"
becomes 1,000 "troop" marked as a lower bound. Years, clock times, days of the month and
ordinals are not quantities and are skipped.
"""

from __future__ import annotations

import re

from schemas.records import Quantity

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000, "k": 1_000,
    "m": 1_000_000,
}
# "Dozens of" means at least two dozen; "scores of" at least two score.
_VAGUE = {
    "tens of thousands": 10_000, "hundreds of thousands": 100_000, "tens of millions": 10_000_000,
    "hundreds of millions": 100_000_000, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
    "billions": 1_000_000_000, "dozens": 24, "scores": 40,
}
_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3,
    "one-third": 100 / 3, "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0,
    "one quarter": 25.0, "three quarters": 75.0, "three-quarters": 75.0, "a fifth": 20.0,
    "one fifth": 20.0, "a tenth": 10.0, "one in ten": 10.0, "one in five": 20.0, "one in four": 25.0,
    "one in three": 100 / 3,
}
_CURRENCY_SYMBOLS = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "¥": "JPY", "a$": "AUD", "c$": "CAD"}
_CURRENCY_WORDS = {
    "pounds": "GBP", "pound": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "yen": "JPY", "pence": "GBP-pence", "p": "GBP-pence", "cents": "USD-cents",
}
_APPROX = ("about", "around", "roughly", "nearly", "almost", "approximately", "some", "an estimated",
           "estimated", "close to", "up to", "less than", "fewer than", "under", "just under", "more or less")
_LOWER = ("more than", "over", "at least", "upwards of", "in excess of", "just over", "above")

_WORD_NUM = "|".join(sorted([*_ONES, *_TENS, "hundred", "thousand", "million", "billion", "trillion"],
                            key=len, reverse=True))
_ALT = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731

NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<cue>{_ALT(_APPROX + _LOWER)})\s+)?"
    rf"(?:(?P<frac>{_ALT(_FRACTIONS)})\b"
    rf"|(?P<vague>{_ALT(_VAGUE)})\s+of\b"
    rf"|(?:(?P<cur>US\$|A\$|C\$|[£$€¥])\s?)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
    rf"|(?:a|an)\s+(?=(?:hundred|thousand|million|billion)\b)"
    rf"|(?<![\w-])(?:{_WORD_NUM})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD_NUM}))*\b)"
    rf"(?:\s?(?P<scale>trillion|billion|million|thousand|hundred|bn|tn|m|k)\b)?"
    rf"(?:\s?(?P<pct>%|per\s?cent\b|percent\b|percentage points?\b))?)",
    re.IGNORECASE,
)
_NEXT_WORDS_RE = re.compile(r"\s*([A-Za-z][A-Za-z-]*)")
_YEAR_CONTEXT_RE = re.compile(r"(?:\b(?:in|since|by|until|of|from|to|during|before|after|early|late|mid)\s*|[-–])$",
                              re.IGNORECASE)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_TIME_AFTER_RE = re.compile(r"(?::\d\d|\.\d\d\s*(?:am|pm|a\.m\.|p\.m\.)|\s*(?:am|pm|a\.m\.|p\.m\.|GMT|BST|BST)\b)",
                            re.IGNORECASE)
_ORDINAL_AFTER_RE = re.compile(r"(?:st|nd|rd|th)\b")

# Words after a number that are not what it counts.
_NOT_UNITS = frozenset(
    """a an the of to in on at by for from with and or but had has have was were is are be been will would
    could may might can said says percent per cent than that this which who as it its their his her
    more less over under about around after before when while into out up down so not no also just
    only times""".split()
)
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse",
              "feet": "foot", "teeth": "tooth", "geese": "goose", "police": "police", "news": "news",
              "series": "series", "species": "species", "data": "data", "staff": "staff", "sheep": "sheep"}
_UNIT_ALIASES = {"kilometre": "km", "kilometer": "km", "kilometres": "km", "kilometers": "km",
                 "metre": "m", "meter": "m", "mile": "mile", "kilogram": "kg", "kilo": "kg", "tonne": "tonne"}


def singular(word: str) -> str:
    """Cheap English singular: "countries" -> "country", "troops" -> "troop"."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def words_to_number(text: str) -> float | None:
    """Parse "twenty-six", "one hundred and five", "two million"; None if it is not a number."""
    total = 0
    current = 0
    seen = False
    for token in re.split(r"[\s-]+", text.lower()):
        if not token or token == "and":
            continue
        if token in ("a", "an"):
            current = max(current, 1)
            seen = True
        elif token in _ONES:
            current += _ONES[token]
            seen = True
        elif token in _TENS:
            current += _TENS[token]
            seen = True
        elif token == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def _counted_noun(text: str, pos: int) -> str | None:
    """The noun a number counts: the first plural among the next two words, else the next word."""
    words = []
    for _ in range(3):
        match = _NEXT_WORDS_RE.match(text, pos)
        if not match:
            break
        words.append(match.group(1))
        pos = match.end()
    if words and words[0].lower() == "of":
        words = words[1:]
        if words and words[0].lower() in ("the", "their", "its", "his", "her", "our"):
            words = words[1:]
    words = words[:2]
    if not words or words[0].lower() in _NOT_UNITS or words[0][0].isupper():
        return None
    for word in words:
        lower = word.lower()
        if lower in _NOT_UNITS or word[0].isupper():
            break
        if lower.endswith("s") and not lower.endswith("ss") or lower in _IRREGULAR:
            noun = singular(lower)
            return _UNIT_ALIASES.get(noun, noun)
    first = words[0].lower()
    if first.endswith(("ed", "ing", "ly")):
        return None
    return _UNIT_ALIASES.get(first, first)


def _is_year(text: str, match: re.Match[str], value: float) -> bool:
    raw = match.group("num")
    if match.group("cur") or match.group("scale") or match.group("pct") or not raw.isdigit() or len(raw) != 4:
        return False
    if not 1800 <= value <= 2100:
        return False
    noun = _counted_noun(text, match.end())
    return noun is None or not text[match.end() :].lstrip().lower().startswith(noun[:3]) or bool(
        _YEAR_CONTEXT_RE.search(text[: match.start("num")])
    )


def find_numbers(text: str) -> list[Quantity]:
    """Return the quantities in ``text``, in order."""
    found: list[Quantity] = []
    if _DIGIT_RE.search(text) is None and not _has_number_word(text):
        return found
    for match in NUMBER_RE.finditer(text):
        quantity = _quantity(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


_NUMBER_WORD_RE = re.compile(
    rf"\b(?:{_WORD_NUM}|half|third|quarter|fifth|tenth|hundreds|thousands|millions|billions|dozens|scores)\b",
    re.IGNORECASE,
)


_DIGIT_RE = re.compile(r"\d")


def _has_number_word(text: str) -> bool:
    return _NUMBER_WORD_RE.search(text) is not None


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    cue = (match.group("cue") or "").lower()
    approximate = cue in _APPROX
    lower_bound = cue in _LOWER
    written = text[match.start() : match.end()].strip()
    if match.group("frac"):
        value = _FRACTIONS[match.group("frac").lower()]
        return Quantity(value=round(value, 2), unit="%", text=written, approximate=approximate,
                        lower_bound=lower_bound)
    if match.group("vague"):
        value = _VAGUE[match.group("vague").lower()]
        return Quantity(value=value, unit=_counted_noun(text, match.end()), text=written,
                        approximate=approximate, lower_bound=True)
    raw = match.group("num")
    if raw is None:
        return None
    if raw[0].isdigit():
        value = float(raw.replace(",", ""))
    else:
        parsed = words_to_number(raw)
        if parsed is None:
            return None
        value = parsed
        # "one" is mostly a pronoun ("one of the", "the one"); only a counted "one person" is kept.
        if raw.lower() == "one" and not match.group("scale"):
            noun = _counted_noun(text, match.end())
            if noun is None or text[match.end() :].lstrip().lower().startswith("of"):
                return None
        if raw.lower().startswith(("a ", "an ")) and not match.group("scale"):
            return None
    before = text[max(0, match.start("num") - 12) : match.start("num")]
    after = text[match.end("num") : match.end("num") + 12]
    if raw[0].isdigit():
        if _MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(after) and value <= 31:
            return None
        if _TIME_AFTER_RE.match(after) or _ORDINAL_AFTER_RE.match(after):
            return None
        if _is_year(text, match, value):
            return None
    scale = (match.group("scale") or "").lower()
    currency = None
    if match.group("cur"):
        currency = _CURRENCY_SYMBOLS[match.group("cur").lower()]
    if scale in ("m", "k") and currency is None:
        # "100m" without a currency is more often metres than millions.
        scale = ""
    value *= _SCALES.get(scale, 1)
    if match.group("pct"):
        unit: str | None = "percentage point" if "point" in match.group("pct").lower() else "%"
    elif currency:
        unit = currency
    else:
        unit = _counted_noun(text, match.end())
        if unit in _CURRENCY_WORDS:
            unit = _CURRENCY_WORDS[unit]
    return Quantity(value=value, unit=unit, text=written, approximate=approximate, lower_bound=lower_bound)
