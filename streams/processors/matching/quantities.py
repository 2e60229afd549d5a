"""Numbers in claims: read them with their unit and vagueness, and decide whether two agree.

A quantity becomes an interval of values the writer could have meant: "about 1,000" is
900-1,100, "more than 40" is above 40, "1.2 million" is 1.15-1.25 million. Two quantities
agree when their intervals overlap, which gives the rounding tolerance the product wants.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from factstream.processors.matching.lexicon import (
    APPROX_CUES,
    LOWER_CUES,
    MONTHS,
    SCALES,
    STOPWORDS,
    UNIT_SYNONYMS,
    UPPER_CUES,
    VAGUE_PLURALS,
)
from factstream.processors.matching.text import stem
from factstream.schemas.records import Quantity

# Relative half-width of an "about"/"nearly" number: journalists round to one or two
# significant digits, so +/-15% covers "about 1,000" for 1,020 and "about 20" for 23, but
# not "about 1,000" for 1,200.
APPROX_TOLERANCE = 0.15
# Relative half-width of an exact figure: absorbs float noise and "3.20%" vs "3.2%" only.
EXACT_TOLERANCE = 0.005
# Units of a span of time ("three years", "48 hours").
PERIOD_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "decade"})
# Years a bare four-digit number is read as: outside this range it is a count.
YEAR_RANGE = (1900, 2100)

_NUM_RE = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|mln|tn|trn|k|m|b)\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b))?"
    r"(?P<ord>st\b|nd\b|rd\b|th\b)?"
)
_VAGUE_RE = re.compile(r"\b(?P<word>dozens|scores|hundreds|thousands|millions|billions) of\b")
_WORD_RE = re.compile(r"[a-z%$€£]+")
_MONTH_RE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\s*$")
_CURRENCY_WORDS = frozenset({"dollar", "euro", "pound", "usd", "eur", "gbp", "sterling"})
_CURRENCY_UNITS = frozenset({"USD", "EUR", "GBP"})


@dataclass(frozen=True, slots=True)
class Amount:
    """A number read from a claim, as an interval of values plus its unit."""

    value: float
    low: float
    high: float
    unit: str | None
    text: str
    is_year: bool = False
    approximate: bool = False
    lower_bound: bool = False

    def overlaps(self, other: Amount) -> bool:
        """Return True when both could be the same figure (their intervals overlap)."""
        return self.low <= other.high and other.low <= self.high

    def close_to(self, other: Amount) -> bool:
        """Return True when both state the same figure ("at least 12" is not "at least 40")."""
        tol_a = max(abs(self.value) * (APPROX_TOLERANCE if self.approximate else EXACT_TOLERANCE),
                    0.0 if math.isinf(self.high) else (self.high - self.low) / 2)
        tol_b = max(abs(other.value) * (APPROX_TOLERANCE if other.approximate else EXACT_TOLERANCE),
                    0.0 if math.isinf(other.high) else (other.high - other.low) / 2)
        return abs(self.value - other.value) <= tol_a + tol_b and self.lower_bound == other.lower_bound

    def to_quantity(self) -> Quantity:
        """Return the record form of this amount."""
        return Quantity(value=self.value, unit=self.unit, text=self.text,
                        approximate=self.approximate or (self.high != self.low and not self.lower_bound),
                        lower_bound=self.lower_bound)


# Words after "5m" that make it a length, not 5 million.
_LENGTH_WORDS = frozenset("high tall long wide deep metre metres meter meters sprint race hurdles "
                          "freestyle backstroke breaststroke butterfly relay away from of above below "
                          "deep-sea".split())


def _counted_noun_after(rest: str) -> bool:
    """Return True when a plural noun follows ("8m cups"), as a count in millions would have."""
    words = _WORD_RE.findall(rest[:30])
    return bool(words) and rest[:1] == " " and words[0] not in _LENGTH_WORDS \
        and words[0] not in STOPWORDS and words[0].endswith("s")


def _unit_after(rest: str) -> str | None:
    """Return the counted noun after a number ("26 countries" -> "country"), or None."""
    for word in _WORD_RE.findall(rest[:40])[:3]:
        if word in _SKIPPED_BEFORE_NOUN:
            continue
        if word in STOPWORDS or word in {"and", "or", "a", "an"}:
            return None
        return _canonical_unit(word)
    return None


def _canonical_unit(word: str) -> str:
    if word in UNIT_SYNONYMS:
        return UNIT_SYNONYMS[word]
    stemmed = stem(word)
    return UNIT_SYNONYMS.get(stemmed, stemmed)


_SKIPPED_BEFORE_NOUN = frozenset({"of", "more", "new", "additional", "extra", "other", "further", "fresh"})
_WRITTEN_WORD_RE = re.compile(r"[A-Za-z%$€£][A-Za-z-]*")


def as_written(number: str, unit: str | None, text: str) -> str:
    """Return a number with its counted noun as ``text`` writes it ("1,200 jobs"), for people to read.

    Matching compares canonical units ("jobs", "staff" and "workers" are all "worker"); what a
    person reads quotes the text. When the text does not hold the number and a noun of that unit
    after it, the number and the unit are given as they are. Currency and percent signs are part
    of the number's own text and never repeated.
    """
    plain = bool(unit) and unit not in {"%", "pp", *_CURRENCY_UNITS}
    fallback = f"{number} {unit}" if plain else number
    found = re.search(re.escape(number.strip()), text, re.IGNORECASE) if number.strip() else None
    if not found or not plain or unit is None:
        return fallback.strip()
    wanted = _canonical_unit(unit.lower())
    rest = text[found.end():found.end() + 40]
    for word in _WRITTEN_WORD_RE.finditer(rest):
        lower = word.group(0).lower()
        if lower in _SKIPPED_BEFORE_NOUN:
            continue
        if lower in STOPWORDS or lower in {"and", "or", "a", "an"}:
            break
        if _canonical_unit(lower) == wanted:
            return text[found.start():found.end() + word.end()]
        break
    return fallback.strip()


def _cue_before(before: str) -> tuple[bool, str | None]:
    """Return (approximate, bound) from the words just before a number."""
    tail = before[-24:]
    words = tail.split()
    approximate = bool(words) and (words[-1] in APPROX_CUES or words[-1] == "estimated"
                                   or tail.endswith("close to") or tail.endswith("an estimated"))
    for cue in LOWER_CUES:
        if tail.endswith(cue):
            return approximate, "lower"
    for cue in UPPER_CUES:
        if tail.endswith(cue):
            return approximate, "upper"
    return approximate, None


def parse_amounts(normalized: str) -> list[Amount]:
    """Read every number of an already normalised text (see :func:`normalize_text`)."""
    amounts: list[Amount] = []
    for match in _NUM_RE.finditer(normalized):
        if match.group("ord"):
            continue  # "3rd", "21st": a rank or a date, not a quantity
        start = match.start("num")
        if start > 0 and (normalized[start - 1].isalnum() or normalized[start - 1] in ".:/-"):
            continue  # part of a code, a time "10:30" or a range's second half handled below
        raw = match.group("num")
        value = float(raw.replace(",", ""))
        scale_word = match.group("scale")
        currency = match.group("cur")
        pct = match.group("pct")
        before = normalized[:match.start()].rstrip()
        rest = normalized[match.end():]
        if not scale_word and not currency and not pct:
            if _MONTH_RE.search(before) or re.match(r"\s*(?:" + "|".join(MONTHS) + r")\b", rest):
                continue  # "May 5" / "5 May": a day of the month
            if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt|utc)", rest):
                continue  # a clock time
        # Scale "m"/"b" only after currency, else "5 m" could be metres, unless written onto the
        # number before a counted noun ("8m cups", "4m people"; not "100m sprint", "5m high").
        if scale_word in {"m", "b", "k"} and not currency and not (
                scale_word == "m" and match.group(0).rstrip().endswith(raw + "m")
                and _counted_noun_after(rest)):
            scale_word = None
        scale = SCALES.get(scale_word or "", 1.0)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        value *= scale
        is_year = (not currency and not pct and not scale_word and "," not in raw and "." not in raw
                   and YEAR_RANGE[0] <= value <= YEAR_RANGE[1])
        if pct:
            unit: str | None = "pp" if pct.startswith("percentage") else "%"
        elif currency:
            unit = UNIT_SYNONYMS[currency]
        else:
            unit = _unit_after(rest)
            if unit in _CURRENCY_WORDS or unit in {"USD", "EUR", "GBP"}:
                unit = UNIT_SYNONYMS.get(unit or "", unit)
        approximate, bound = _cue_before(before)
        if is_year and (approximate or bound):
            # "about 2000 people", "more than 1990 troops": a count that happens to look like a year.
            is_year = False
        if scale_word:
            # "1.2 million" is rounded at its last written digit.
            half = 0.5 * scale * 10 ** (-decimals)
        else:
            half = abs(value) * EXACT_TOLERANCE
        if approximate:
            half = max(half, abs(value) * APPROX_TOLERANCE)
        low, high = value - half, value + half
        lower_bound = bound == "lower"
        if bound == "lower":
            high = math.inf
        elif bound == "upper":
            low = 0.0
        amounts.append(Amount(value=value, low=low, high=high, unit="year" if is_year else unit,
                              text=match.group(0).strip(), is_year=is_year,
                              approximate=approximate or bound == "upper", lower_bound=lower_bound))
    amounts = _without_baselines(normalized, amounts)
    if not amounts:
        half = _HALVED_RE.search(normalized)
        if half:
            # "halved admissions" states the figure "cut admissions by half" does (50%).
            amounts.append(Amount(value=50.0, low=50.0 * (1 - EXACT_TOLERANCE),
                                  high=50.0 * (1 + EXACT_TOLERANCE), unit="%", text=half.group(0)))
    for match in _VAGUE_RE.finditer(normalized):
        value = VAGUE_PLURALS[match.group("word")]
        amounts.append(Amount(value=value, low=value, high=math.inf,
                              unit=_unit_after(normalized[match.end():]),
                              text=match.group(0), approximate=True, lower_bound=True))
    return amounts


_HALVED_RE = re.compile(r"\bhalv(?:ed|es|e|ing)\b")
_BASELINE_RE = re.compile(r"\bfrom\s+(?:an?\s+|about\s+|around\s+)?$")
_TARGET_RE = re.compile(r"\bto\s+(?:an?\s+|about\s+|around\s+)?$")


def _without_baselines(normalized: str, amounts: list[Amount]) -> list[Amount]:
    """Drop the starting value of a stated change ("fell to 2.1% *from 2.4%*").

    A claim that a figure moved "to Y from X" or "from X to Y" states Y; X is what it was
    before, which a restatement may leave out and which says nothing new about the same thing.
    Only dropped when a target of the same unit is stated too.
    """
    if "from" not in normalized or len(amounts) < 2:
        return amounts
    marks = []
    for a in amounts:
        found = _occurrences(normalized, a.text)
        before = normalized[:found[0].start()] if found else ""
        marks.append("from" if _BASELINE_RE.search(before) else "to" if _TARGET_RE.search(before) else "")
    targets = {a.unit for a, m in zip(amounts, marks, strict=True) if m == "to"}
    return [a for a, m in zip(amounts, marks, strict=True) if not (m == "from" and a.unit in targets)]


def amounts_from_quantities(quantities: list[Quantity]) -> list[Amount]:
    """Turn record quantities (from the extractor) into intervals with the same rules."""
    amounts = []
    for q in quantities:
        value = q.value
        plain = q.unit and q.unit not in {"%", "USD", "EUR", "GBP"}
        unit = _canonical_unit(q.unit.lower()) if plain and q.unit else q.unit
        half = abs(value) * (APPROX_TOLERANCE if q.approximate else EXACT_TOLERANCE)
        high = math.inf if q.lower_bound else value + half
        is_year = unit == "year"
        amounts.append(Amount(value=value, low=value - half, high=high, unit=unit, text=q.text,
                              is_year=is_year, approximate=q.approximate, lower_bound=q.lower_bound))
    return amounts


def _units_match(a: Amount, b: Amount) -> bool:
    return a.unit == b.unit or a.unit is None or b.unit is None


def _pair_up(xs: list[Amount], ys: list[Amount]) -> list[tuple[Amount, Amount]]:
    """Pair amounts of the same unit in order of appearance; an unmatched amount is left out."""
    pairs = []
    used: set[int] = set()
    for x in xs:
        same = [i for i, y in enumerate(ys) if i not in used and x.unit == y.unit]
        loose = [i for i, y in enumerate(ys) if i not in used and _units_match(x, y)]
        pick = same or loose
        if not pick:
            continue
        # Prefer the partner that agrees, so "12 of 40" vs "40 ... 12" pairs up sensibly.
        agreeing = [i for i in pick if x.overlaps(ys[i])]
        index = (agreeing or pick)[0]
        used.add(index)
        pairs.append((x, ys[index]))
    return pairs


def amounts_agree(xs: list[Amount], ys: list[Amount]) -> bool:
    """Return True when two claims state the same figures (what deduplication needs).

    Every amount must find an agreeing partner of the same unit on the other side, except
    that a year mentioned on one side only is allowed (wire copy adds dates).
    """
    counts_x = [a for a in xs if not a.is_year]
    counts_y = [a for a in ys if not a.is_year]
    if len(counts_x) != len(counts_y):
        return False
    # Units are read loosely ("magnitude 6.8 earthquake" vs "6.8-magnitude quake"), so for
    # agreement a figure only needs an equal figure on the other side, whatever its unit; but
    # two currencies are two sums ("£2bn" is not "$2bn").
    left = list(counts_y)
    for x in counts_x:
        match = next((y for y in left if x.close_to(y) and (_units_match(x, y) or (
            x.value == y.value and not (x.unit in _CURRENCY_UNITS and y.unit in _CURRENCY_UNITS)))), None)
        if match is None:
            return False
        left.remove(match)
    years_x = {a.value for a in xs if a.is_year}
    years_y = {a.value for a in ys if a.is_year}
    return not (years_x and years_y and years_x != years_y)


# Words before a span of time that make it an added circumstance ("the highest *in* three years",
# "*after* two years of talks", "in the *first* six months"), not the claim's figure ("sentenced
# *to* four years", "strike *for* 48 hours").
_INCIDENTAL_SPAN_RE = re.compile(r"\b(?:in|after|within|past|last|first|over|since)\s+(?:the\s+)?"
                                 r"(?:(?:past|last|first|next)\s+)?$")


def without_incidental_spans(normalized: str, amounts: list[Amount], other: list[Amount]) -> list[Amount]:
    """Drop spans of time that are an added circumstance, when ``other`` states no span at all.

    Wire copy adds "the highest level in three years" or "after two years of negotiations"
    as it adds a date; a restatement without them states the same figures.
    """
    if any(a.unit in PERIOD_UNITS for a in other):
        return amounts
    kept = []
    for a in amounts:
        if a.unit in PERIOD_UNITS and not a.is_year and any(
                _INCIDENTAL_SPAN_RE.search(normalized[:m.start()]) for m in _occurrences(normalized, a.text)):
            continue
        kept.append(a)
    return kept


def _occurrences(normalized: str, text: str) -> list[re.Match[str]]:
    """Return where a figure's text stands as a whole figure ("3" in "in 3 years", not in "4.3%")."""
    return list(re.finditer(rf"(?<![\w.,]){re.escape(text)}(?![\w%])", normalized))


def conflicting_amounts(xs: list[Amount], ys: list[Amount]) -> list[tuple[Amount, Amount]]:
    """Return the pairs of same-unit counts whose values cannot both be true."""
    counts_x = [a for a in xs if not a.is_year]
    counts_y = [a for a in ys if not a.is_year]
    return [(x, y) for x, y in _pair_up(counts_x, counts_y) if not x.overlaps(y)]


def years(amounts: list[Amount]) -> set[float]:
    """Return the years mentioned."""
    return {a.value for a in amounts if a.is_year}
