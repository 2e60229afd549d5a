"""Masking of HTML remnants without moving any character.

Claim spans are offsets into ``article.body``, so markup is not removed but overwritten
with spaces of the same length: every later stage works on a string that lines up with
the body character for character.
"""

from __future__ import annotations

import re

# Tags up to this length are masked; a longer "<...>" is more likely prose ("a < b > c").
_MAX_TAG_CHARS = 500

_BLOCK_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(rf"</?[A-Za-z!][^<>]{{0,{_MAX_TAG_CHARS}}}>")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")

# Entities that carry meaning for quote and number detection keep their character;
# the rest of the entity becomes spaces so offsets do not move.
_ENTITY_CHARS = {
    "&quot;": '"',
    "&ldquo;": "\u201c",
    "&rdquo;": "\u201d",
    "&lsquo;": "\u2018",
    "&rsquo;": "\u2019",
    "&amp;": "&",
    "&pound;": "£",
    "&euro;": "€",
    "&#36;": "$",
    "&percnt;": "%",
    "&#39;": "'",
    "&#34;": '"',
    "&#8220;": "\u201c",
    "&#8221;": "\u201d",
    "&#8217;": "\u2019",
}

# Invisible or exotic whitespace that would break word-boundary regexes.
_SPACE_TRANSLATION = str.maketrans(
    {"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\t": " ", "\r": "\n"}
)


def _blank(match: re.Match[str]) -> str:
    # Keep newlines so paragraph boundaries inside a masked block survive.
    return "".join("\n" if ch == "\n" else " " for ch in match.group(0))


def _entity(match: re.Match[str]) -> str:
    raw = match.group(0)
    char = _ENTITY_CHARS.get(raw.lower())
    if char is None:
        return " " * len(raw)
    padding = " " * (len(raw) - 1)
    following = match.string[match.end() : match.end() + 1]
    if following and not following.isspace():
        # The character goes next to the word it touches, so an opening "&quot;The" reads as
        # an opening mark (a straight quote opens only when a word follows it directly).
        return padding + char
    return char + padding


def mask_markup(body: str) -> str:
    """Return ``body`` with tags, scripts and entities overwritten; same length, same offsets."""
    text = body.translate(_SPACE_TRANSLATION)
    if "<" in text:
        text = _BLOCK_RE.sub(_blank, text)
        text = _TAG_RE.sub(_blank, text)
    if "&" in text:
        text = _ENTITY_RE.sub(_entity, text)
    return text
