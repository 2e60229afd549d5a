"""Paragraphs, sentences and clauses, all as offsets into the (masked) body.

blingfire splits sentences at ~225k/s and keeps "Mr.", "U.S." and multi-sentence quotes
together; we only add paragraph handling and a guard against run-on "sentences".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import blingfire

# A "sentence" longer than this is a list, a table or markup debris; it is cut at clause
# punctuation so that every later regex runs on bounded input.
MAX_SENTENCE_CHARS = 600

_PARAGRAPH_RE = re.compile(r"[^\n]+")
_SOFT_BREAK_RE = re.compile(r"[;:]\s+|,\s+|\s+")
# A sentence made of punctuation and quote marks only ("”", "...") carries nothing.
_CONTENT_RE = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text == masked_body[start:end]``."""

    start: int
    end: int
    paragraph: int
    text: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return [start, end) of each non-blank line; news bodies put one paragraph per line."""
    spans = []
    for match in _PARAGRAPH_RE.finditer(text):
        start, end = match.span()
        stripped = match.group(0)
        if not stripped.strip():
            continue
        start += len(stripped) - len(stripped.lstrip())
        end -= len(stripped) - len(stripped.rstrip())
        spans.append((start, end))
    return spans


def _cut_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        cut = None
        for match in _SOFT_BREAK_RE.finditer(window, MAX_SENTENCE_CHARS // 2):
            cut = match.end()
            if match.group(0).strip():  # prefer ; : , over bare whitespace
                break
        cut = start + (cut or MAX_SENTENCE_CHARS)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def sentences(text: str, paras: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split ``text`` into sentences with offsets, paragraph by paragraph."""
    result: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paras if paras is not None else paragraphs(text)):
        para = text[p_start:p_end]
        _, offsets = blingfire.text_to_sentences_and_offsets(para)
        for s_start, s_end in offsets:
            for start, end in _cut_long(p_start + s_start, p_start + s_end, text):
                chunk = text[start:end]
                stripped = chunk.strip()
                if not stripped or not _CONTENT_RE.search(stripped):
                    continue
                start += len(chunk) - len(chunk.lstrip())
                end = start + len(stripped)
                result.append(Sentence(start, end, index, stripped))
    return result
