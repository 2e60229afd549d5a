"""Quantities in a claim: value, unit or counted noun, and how exact the writer was.

"26 countries" and "twenty-six countries" both become 26 "country"; "£1.4bn" becomes 1.4e9
"GBP"; "a third" becomes 33.33 "%" so it compares with percentages; "thousands of troops"
becomes 1,000 "troop" marked as a lower bound; "minus eight" is -8. Years, clock times, days
of the month (also in ranges, "22 to 24 August"), ordinals and scorelines ("won 2-0") are not
quantities and are skipped.

A person's own age ("The 34-year-old", "Graham Foster, 58,") is skipped too: it describes who
someone is, it is not what a claim asserts, and two articles giving a defendant's age a year
apart must not look like a contradiction. Ages that define a population ("pupils aged 13 to
17") stay, as they are part of what a study claims.
"""

from __future__ import annotations

import re

from factstream.processors.extract.lexicon import DEMONYMS
from factstream.schemas.records import Quantity

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
#: Scale words and abbreviations ("1.2 million", "$5bn"): the one table of them, read by matching too.
SCALE_WORDS: dict[str, int] = _SCALES
#: Spelled-out numbers below a hundred, the one table of them (matching's lexicon reads it too).
NUMBER_WORDS: dict[str, int] = {**_ONES, **_TENS}
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
    rf"|(?P<minus>minus\s+|−)?(?:(?P<cur>US\$|A\$|C\$|[£$€¥])\s?)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
    rf"|(?:a|an)\s+(?=(?:hundred|thousand|million|billion)\b)"
    rf"|(?<![\w-])(?:{_WORD_NUM})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD_NUM}))*\b)"
    rf"(?:\s?(?P<scale>trillion|billion|million|thousand|hundred|bn|tn|m|k)\b)?"
    rf"(?:\s?(?P<pct>%|per\s?cent\b|percent\b|percentage points?\b))?)",
    re.IGNORECASE,
)
# A counted noun may be joined to its number by a hyphen: "a 40-year history".
_NEXT_WORDS_RE = re.compile(r"(?:\s*|-)([A-Za-z][A-Za-z-]*)")
_YEAR_CONTEXT_RE = re.compile(
    r"(?:\b(?:in|since|by|until|of|from|to|during|before|after|early|late|mid)\s*|[-–])$",
                              re.IGNORECASE)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_TIME_AFTER_RE = re.compile(
    r"(?::\d\d|\.\d\d\s*(?:am|pm|a\.m\.|p\.m\.)|\s*(?:am|pm|a\.m\.|p\.m\.|GMT|BST|BST)\b)",
                            re.IGNORECASE)
_ORDINAL_AFTER_RE = re.compile(r"(?:st|nd|rd|th)\b")
# "22 to 24 August": the first day of a range is as much a date as the second.
_DAY_RANGE_AFTER_RE = re.compile(
    rf"\s*(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b",
    re.IGNORECASE,
)
# Characters after a number checked for date and time context.
_CONTEXT_CHARS = 24
_AGE_AFTER_RE = re.compile(
    r"-years?-old\b|\s+years?\s+old\b(?=\s*(?:,|man|woman|boy|girl|\w+ed\b))", re.IGNORECASE
)
# "Graham Foster, 58, ...": a bare number in commas right after a name is the person's age.
_APPOSITIVE_AGE_RE = re.compile(r"[A-Z][a-z]+,\s*$")
_APPOSITIVE_AGE_AFTER_RE = re.compile(r"\s*,")
# An age is a whole number of years a person can have.
MAX_AGE = 120
# "beat Castleton 2-0": two small numbers joined by a dash, counting nothing, are a score.
_SCORE_AFTER_RE = re.compile(r"[-–]\d{1,2}\b(?![.,]\d|\s*(?:%|per\s?cent|percent))")
_SCORE_BEFORE_RE = re.compile(r"\d[-–]$")
# "the second half", "half-time": a part of a match or a year, not a fraction.
_HALF_BEFORE_RE = re.compile(r"\b(?:the|first|second|this|last|next|each)\s+$", re.IGNORECASE)

# Words after a number that are not what it counts.
_NOT_UNITS = frozenset(
    """a an the of to in on at by for from with and or but had has have was were is are be been will would
    could may might can said says percent per cent than that this which who as it its their his her
    more less over under about around after before when while into out up down so not no also just
    only times overnight today tonight yesterday tomorrow ago apiece each last next""".split()
)
# Collective nouns that also modify a counted plural: "police officers", "staff nurses".
_COLLECTIVE_MODIFIERS = frozenset({"police", "staff"})
# Adjectives that stand between a number and what it counts: "one bad fire season", "40 new jets".
_ADJECTIVES = frozenset(
    """bad good new old big small large major minor extra additional further other full whole single
    young high low great long short different separate key main top best worst first
    consecutive straight successive rival former current fresh total average annual""".split()
)
_ADJECTIVE_SUFFIXES = ("al", "ive", "ous", "ful", "less", "ic", "able", "ible")
# After a compound noun ("fire season") the verb group starts with one of these.
_AUXILIARIES = frozenset(
    "could would will can may might must should is are was were has have had".split()
)
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse",
              "feet": "foot", "teeth": "tooth", "geese": "goose", "police": "police", "news": "news",
              "series": "series", "species": "species", "data": "data", "staff": "staff", "sheep": "sheep",
              "kroner": "krone", "kronor": "krona"}
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
    for word in re.split(r"[\s-]+", text.lower()):
        if not word or word == "and":
            continue
        if word in ("a", "an"):
            current = max(current, 1)
            seen = True
        elif word in _ONES:
            current += _ONES[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def _counted_noun(text: str, pos: int) -> str | None:
    """Find the noun a number counts: the first plural among the next words, else the head noun."""
    words = []
    # Three words may hold the counted noun ("40 new fighter jets"); a fourth shows where a
    # compound noun ends ("one bad fire season could").
    for _ in range(4):
        match = _NEXT_WORDS_RE.match(text, pos)
        if not match:
            break
        words.append(match.group(1))
        pos = match.end()
    if words and words[0].lower() == "of":
        words = words[1:]
        if words and words[0].lower() in ("the", "their", "its", "his", "her", "our"):
            words = words[1:]
        if words and _NUMBER_WORD_RE.fullmatch(words[0]):
            return None  # "seven of the nine members": the nine are counted, the seven are a share
    # Nationality adjectives are capitalised but still modifiers: "three African countries".
    while words and words[0] in DEMONYMS:
        words = words[1:]
    if not words or words[0].lower() in _NOT_UNITS or words[0][0].isupper():
        return None
    for index, word in enumerate(words[:3]):
        lower = word.lower()
        if lower in _NOT_UNITS or word[0].isupper():
            break
        if lower in _COLLECTIVE_MODIFIERS and words[index + 1 : index + 2] and words[index + 1].endswith("s"):
            continue  # "150 police officers" counts officers
        if lower.endswith("s") and not lower.endswith("ss") or lower in _IRREGULAR:
            noun = singular(lower)
            return _UNIT_ALIASES.get(noun, noun)
    while len(words) > 1 and _is_adjective(words[0]):
        words = words[1:]
    first = words[0].lower()
    if first.endswith(("ed", "ing", "ly")):
        return None
    if (len(words) > 2 and first not in _CURRENCY_WORDS and words[1][0].islower()
            and words[1].lower() not in _NOT_UNITS | _AUXILIARIES and words[2].lower() in _AUXILIARIES):
        # "fire season could": in a compound noun the last noun is the head.
        first = words[1].lower()
    return _UNIT_ALIASES.get(first, first)


def _is_adjective(word: str) -> bool:
    lower = word.lower()
    return lower in _ADJECTIVES or lower.endswith(_ADJECTIVE_SUFFIXES) and len(lower) > 4


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


def _is_age(before: str, after: str, value: float) -> bool:
    """Tell a person's own age: "the 34-year-old", "34 years old,", "Graham Foster, 58,"."""
    if value > MAX_AGE or value != int(value):
        return False
    if _AGE_AFTER_RE.match(after):
        return True
    return bool(_APPOSITIVE_AGE_RE.search(before) and _APPOSITIVE_AGE_AFTER_RE.match(after))


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    cue = (match.group("cue") or "").lower()
    approximate = cue in _APPROX
    lower_bound = cue in _LOWER
    written = text[match.start() : match.end()].strip()
    if match.group("frac"):
        frac = match.group("frac").lower()
        part_of_time = _HALF_BEFORE_RE.search(text, 0, match.start()) or text.startswith("-", match.end())
        if frac == "half" and part_of_time:
            return None
        value = _FRACTIONS[frac]
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
        # "one" is mostly a pronoun ("one of the", "the one") or an idiom ("one-off"); only a
        # counted "one person" is kept.
        if raw.lower() == "one" and text.startswith("-", match.end()):
            return None
        if raw.lower() == "one" and not match.group("scale"):
            noun = _counted_noun(text, match.end())
            if noun is None or text[match.end() :].lstrip().lower().startswith("of"):
                return None
        if raw.lower().startswith(("a ", "an ")) and not match.group("scale"):
            return None
    before = text[max(0, match.start("num") - _CONTEXT_CHARS) : match.start("num")]
    after = text[match.end("num") : match.end("num") + _CONTEXT_CHARS]
    if _is_age(before, after, value):
        return None
    if raw[0].isdigit():
        day_before_month = _MONTH_AFTER_RE.match(after) or _DAY_RANGE_AFTER_RE.match(after)
        if _MONTH_BEFORE_RE.search(before) or day_before_month and value <= 31:
            return None
        score = _SCORE_AFTER_RE.match(after)
        if score and _counted_noun(text, match.end("num") + score.end()) is None:
            return None
        second_of_pair = _SCORE_BEFORE_RE.search(before) and not match.group("pct")
        if second_of_pair and _counted_noun(text, match.end()) is None:
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
    if match.group("minus"):
        value = -value
    if match.group("pct"):
        unit: str | None = "percentage point" if "point" in match.group("pct").lower() else "%"
    elif currency:
        unit = currency
    else:
        unit = _counted_noun(text, match.end())
        if unit in _CURRENCY_WORDS:
            unit = _CURRENCY_WORDS[unit]
    return Quantity(value=value, unit=unit, text=written, approximate=approximate, lower_bound=lower_bound)
