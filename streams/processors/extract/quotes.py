"""Direct quotations: where quoted words start and end, across sentences and paragraphs.

Quotes are found on the whole body, not per sentence, because a quotation often runs over
several sentences, and by news convention over several paragraphs: a paragraph that ends
inside a quote leaves it unclosed and the next paragraph reopens it. Curly, straight and
guillemet double quotes are quotations; single quotes only where a paragraph uses no double
quotes (British headline style), since ’ is mostly an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "\u201c\u201e\u00ab"  # “ „ «
CLOSERS = "\u201d\u00bb"  # ” »
STRAIGHT = '"'
SINGLE_OPEN = "\u2018"  # ‘
SINGLE_CLOSE = "\u2019"  # ’

_DOUBLE_RE = re.compile('[\u201c\u201e\u00ab\u201d\u00bb"]')
_SINGLE_RE = re.compile("(?<![\\w])\u2018|\u2019(?![\\w])")

# Characters trimmed from the inside of a quote: the comma before an attribution
# ("…targets,” he said) is punctuation of the reporting sentence, not the speaker's word.
_TRAILING_TRIM = " \t,;:"


@dataclass(slots=True)
class Quote:
    """One quotation within one paragraph; ``body[start:end]`` is the quoted text."""

    start: int
    end: int
    open_at: int
    close_at: int | None
    chain: int
    paragraph: int

    @property
    def closed(self) -> bool:
        """Whether the closing mark was found in the same paragraph."""
        return self.close_at is not None


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it holds no surrounding blanks nor an attribution comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAILING_TRIM:
        end -= 1
    return start, end


def _is_opening_straight(text: str, index: int, p_end: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < p_end else " "
    return not after.isspace() and (before.isspace() or before in "([{—–-:,\n")


def _reopens(text: str, index: int, p_start: int, p_end: int) -> bool:
    """Whether a straight mark inside an open quote opens the quote's next paragraph.

    A quote over several paragraphs leaves each but the last unclosed, and each reopens it;
    where the paragraphs were run together, the reopening mark follows a full stop and a blank
    and precedes a word: ``He added: "We had chances. "It is only six points."``. A closing
    mark follows the quote's last character instead.
    """
    if not _reopening_shape(text, index, p_start, p_end):
        return False
    # Only where the reopened quote closes: the marks after it reopen it again or close it, or the
    # next paragraph reopens it. A quote whose closing mark was left out would otherwise run on
    # into the outlet's own text, and an opener after "said:" is a new quote, not this one's next
    # paragraph.
    for match in _DOUBLE_RE.finditer(text, index + 1, p_end):
        at = match.start()
        if not text[at - 1].isspace():
            return True  # closing-shaped: it follows the quote's last character
        if not _reopening_shape(text, at, p_start, p_end):
            return False
    # Left open at the paragraph's end: the next paragraph reopens it, as the convention goes.
    return text[p_end:].lstrip()[:1] in ('"', *OPENERS)


def _reopening_shape(text: str, index: int, p_start: int, p_end: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < p_end else " "
    return before.isspace() and not after.isspace() and _ends_sentence(text, p_start, index)


def _ends_sentence(text: str, p_start: int, index: int) -> bool:
    return text[p_start:index].rstrip()[-1:] in (".", "?", "!")


def _marks(text: str, p_start: int, p_end: int) -> tuple[list[tuple[int, bool]], bool]:
    """Return (index, is_opener) marks of a paragraph and whether they are single quotes."""
    marks: list[tuple[int, bool]] = []
    is_open = False
    for match in _DOUBLE_RE.finditer(text, p_start, p_end):
        index = match.start()
        char = text[index]
        if char in OPENERS:
            opener = True
        elif char in CLOSERS:
            opener = False
        elif is_open:
            opener = _reopens(text, index, p_start, p_end)
        else:
            opener = _is_opening_straight(text, index, p_end)
            if not opener and not is_open:
                continue  # a stray straight quote (inches, typo) opens nothing
        marks.append((index, opener))
        is_open = opener
    if marks:
        return marks, False
    for match in _SINGLE_RE.finditer(text, p_start, p_end):
        index = match.start()
        marks.append((index, text[index] == SINGLE_OPEN))
    return marks, True


def find_quotes(text: str, paras: list[tuple[int, int]]) -> list[Quote]:
    """Return every quotation of ``text``, in order, chained across paragraphs."""
    quotes: list[Quote] = []
    chain = 0
    carried = False  # the previous paragraph ended inside a quote
    introduced = False  # the open quotation follows its speaker's "X said:"
    for p_index, (p_start, p_end) in enumerate(paras):
        marks, _ = _marks(text, p_start, p_end)
        open_at: int | None = None
        continues = carried and bool(marks) and marks[0][0] == p_start and marks[0][1]
        if not continues:
            chain += 1
        for index, opener in marks:
            if opener:
                if open_at is not None:
                    # Two openers in a row: the first was never closed; end it here. After a
                    # sentence's end, in a quotation its speaker introduced ("X said: “…"), the
                    # second reopens it (its paragraphs ran together) and shares its speaker;
                    # otherwise a new one begins, whose speaker is found on its own.
                    start, end = trim_content(text, open_at + 1, index)
                    if end > start:
                        quotes.append(Quote(start, end, open_at, None, chain, p_index))
                    if not (introduced and _ends_sentence(text, p_start, index)):
                        chain += 1
                        introduced = False
                elif not (continues and index == p_start):
                    introduced = text[p_start:index].rstrip().endswith(":")
                open_at = index
            elif open_at is not None:
                start, end = trim_content(text, open_at + 1, index)
                if end > start:
                    quotes.append(Quote(start, end, open_at, index, chain, p_index))
                open_at = None
                chain += 1
        carried = open_at is not None
        if open_at is not None:
            start, end = trim_content(text, open_at + 1, p_end)
            if end > start:
                quotes.append(Quote(start, end, open_at, None, chain, p_index))
    return quotes
