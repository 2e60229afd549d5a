"""When a claim happened or was said: time expressions resolved against the publication date.

News is written in the past: "on Friday" is the latest Friday on or before publication unless
the sentence looks ahead ("will", "next"). Vague periods resolve to their first day
("last month" -> the 1st of the previous month) so that claims stay comparable by date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from factstream.processors.extract.lexicon import MONTHS, WEEKDAYS

_MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX.update({m.lower()[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_INDEX["sept"] = 9
_WEEKDAY_INDEX = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
_MONTH_ALT = "|".join(sorted(_MONTH_INDEX, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(_WEEKDAY_INDEX)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}

TIME_RE = re.compile(
    rf"\b(?:"
    rf"(?P<dmy>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_ALT})\.?(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<mdy>(?P<m2>{_MONTH_ALT})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?)"
    rf"|(?P<rel>(?P<rel_dir>last|this|next|earlier\s+this|later\s+this)\s+(?P<rel_unit>week|month|year|weekend))"
    rf"|(?P<ago>(?P<ago_n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    rf"(?P<ago_unit>day|week|month|year)s?\s+ago)"
    rf"|(?P<wd>(?:(?P<wd_dir>last|next|this|on)\s+)?(?P<weekday>{_WEEKDAY_ALT}))"
    rf"|(?P<deictic>yesterday|today|tonight|tomorrow|last\s+night|this\s+morning|this\s+afternoon)"
    rf"|(?:in|since|during)\s+(?P<month_only>{_MONTH_ALT})(?:\s+(?P<y3>\d{{4}}))?"
    rf"|(?:in|since|during)\s+(?P<year_only>(?:19|20)\d\d)\b"
    rf")",
    re.IGNORECASE,
)
# Words that make a weekday or month point forward rather than back.
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|next|is due|are due|to be held|scheduled|plans? to|upcoming)\b|'ll\b",
                        re.IGNORECASE)


def _first_of_previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(text: str, published_at: datetime | None) -> date | None:
    """Return the date of the first time expression in ``text``, or None."""
    if not text:
        return None
    pub = published_at.date() if published_at is not None else None
    future = _FUTURE_RE.search(text) is not None
    for match in TIME_RE.finditer(text):
        resolved = _resolve_match(match, pub, future)
        if resolved is not None:
            return resolved
    return None


def _resolve_match(match: re.Match[str], pub: date | None, future: bool) -> date | None:  # noqa: C901
    if match.group("dmy") or match.group("mdy"):
        day = int(match.group("d1") or match.group("d2"))
        month = _MONTH_INDEX[(match.group("m1") or match.group("m2")).lower()]
        year_text = match.group("y1") or match.group("y2")
        if year_text:
            return _safe_date(int(year_text), month, day)
        if pub is None:
            return None
        candidate = _safe_date(pub.year, month, day)
        if candidate and candidate > pub + timedelta(days=31) and not future:
            candidate = _safe_date(pub.year - 1, month, day)
        return candidate
    if match.group("month_only"):
        month = _MONTH_INDEX[match.group("month_only").lower()]
        if match.group("y3"):
            return date(int(match.group("y3")), month, 1)
        if pub is None:
            return None
        year = pub.year - 1 if month > pub.month and not future else pub.year
        return date(year, month, 1)
    if match.group("year_only"):
        return date(int(match.group("year_only")), 1, 1)
    if pub is None:
        return None
    if match.group("deictic"):
        word = match.group("deictic").lower()
        if word == "yesterday" or word.startswith("last"):
            return pub - timedelta(days=1)
        if word == "tomorrow":
            return pub + timedelta(days=1)
        return pub
    if match.group("rel"):
        direction = match.group("rel_dir").lower()
        unit = match.group("rel_unit").lower()
        if unit in ("week", "weekend"):
            delta = {"last": -7, "next": 7}.get(direction, 0)
            return pub + timedelta(days=delta)
        if unit == "month":
            if direction == "last":
                return _first_of_previous_month(pub)
            if direction == "next":
                return (pub.replace(day=28) + timedelta(days=4)).replace(day=1)
            return pub.replace(day=1)
        year = pub.year + {"last": -1, "next": 1}.get(direction, 0)
        return date(year, 1, 1)
    if match.group("ago"):
        raw = match.group("ago_n").lower()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[match.group("ago_unit").lower()]
        return pub - timedelta(days=count * days)
    if match.group("wd"):
        target = _WEEKDAY_INDEX[match.group("weekday").lower()]
        direction = (match.group("wd_dir") or "").lower()
        if direction == "next" or (future and direction != "last"):
            ahead = (target - pub.weekday()) % 7 or 7
            return pub + timedelta(days=ahead)
        back = (pub.weekday() - target) % 7
        if direction == "last" and back == 0:
            back = 7
        return pub - timedelta(days=back)
    return None
