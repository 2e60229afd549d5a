"""The pair judge: whether two claims are one fact, contradictory facts, or neither.

Three steps, cheapest first:

1. **Embeddings.** Each claim is embedded once (MiniLM, int8 ONNX, cached by text). Pairs whose
   cosine and word overlap are both under the gate (a recall-first floor fitted on data) are
   "none" without further cost: most candidates are this.
2. **The pair model** (a cross-encoder fine-tuned on paraphrase and NLI data and on pairs made
   from real news) reads both texts at once, in one canonical order (the texts sorted), so the
   verdict does not depend on which claim came first; each pair runs alone and once per process
   (its logits are cached), so neither does it depend on what else was judged beside it.
3. **The combiner** (a calibrated logistic regression held monotone in how related two claims
   are, :mod:`.combiner`) weighs the pair model against the rule analyses (:mod:`.features`:
   figures and units, negation, opposites, hedges, speakers, dates) and decides at thresholds
   chosen on the tune split.

A contradiction is then typed from its evidence (numeric / negation / antonym / stance_reversal /
conflicting_report), and set aside where it is not one by definition: a hedge against a firm
statement, a later report of a growing count (an update), figures for different periods, and
people holding opposite positions (a dispute). Each judgement names the model version that made it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np
from cachetools import LRUCache

from factstream.processors.judge.combiner import RELATIONS, Combiner
from factstream.processors.judge.features import PairAnalysis, analyse_pair, content_of, same_content
from factstream.processors.judge.model import MODEL_DIR, JudgeModels, models
from factstream.processors.matching.features import _SLOT_OF, ClaimFeatures, analyse, claim_from_text
from factstream.processors.matching.text import canonical_word
from factstream.processors.matching.verdict import (
    _UNKNOWN_ARTICLE,
    _different_times,
    _exclusive_entities,
    _fmt,
    _later,
    _quote,
    _who,
)
from factstream.schemas.records import Claim, ContradictionKind

Relation = Literal["duplicate", "contradiction", "none"]
#: Embeddings kept per process, by claim text: a tracked claim meets many new claims.
EMBEDDING_CACHE_SIZE = 200_000
#: Pair-model logits kept per process, by the pair's two content texts in canonical (sorted) order:
#: contradict reads a new fact against nearly the same candidates that dedup read its claim against
#: one store batch earlier (``STORE_BATCH`` = 500 claims, at most 3 pairs and their masked checks
#: each: ~3,000 entries), and a masked pair recurs the same way. Eight batches' worth, at ~0.8 KB an
#: entry (the two texts, 4 float32): ~16 MB when full.
PAIR_CACHE_SIZE = 20_000
#: Candidates per claim that the pair model reads at most, closest in embedding first. The pair
#: model costs ~5-10 ms a pair on one core; past the closest few, a candidate is almost never the
#: claim's duplicate or contradiction (they sit near the top by cosine: docs/models/pair-judge.md).
PAIR_MODEL_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Judgement:
    """The judge's verdict on a pair, with its probabilities and the evidence behind it."""

    relation: Relation
    kind: ContradictionKind | None
    score: float
    explanation: str
    probabilities: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, object] = field(default_factory=dict)
    model_version: str = ""


class PairJudge:
    """Judges pairs of analysed claims in batches."""

    def __init__(self, neural: JudgeModels | None = None, combiner: Combiner | None = None) -> None:
        self._neural = neural
        self.combiner = combiner or Combiner.load(MODEL_DIR / "combiner.json")
        self.version = self.combiner.version
        self._embeddings: LRUCache[str, np.ndarray] = LRUCache(EMBEDDING_CACHE_SIZE)
        self._pair_logits: LRUCache[tuple[str, str], np.ndarray] = LRUCache(PAIR_CACHE_SIZE)
        self._lock = threading.Lock()

    @property
    def neural(self) -> JudgeModels:
        """The ONNX models, loaded on first use."""
        if self._neural is None:
            self._neural = models()
        return self._neural

    def embeddings(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of claims' ``texts`` (their content), each computed once per process."""
        texts = [content_of(t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._embeddings))
        if missing:
            vectors = self.neural.embed(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._embeddings[text] = vector
        with self._lock:
            found = {t: self._embeddings.get(t) for t in texts}
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        rows: list[np.ndarray] = []
        for t in texts:
            vector = found[t]
            # Evicted between the two looks (a cache smaller than one batch): embed it again.
            rows.append(vector if vector is not None else self.neural.embed([t])[0])
        return np.stack(rows)

    def clear_caches(self) -> None:
        """Forget the cached embeddings and pair logits (for benchmarks that measure a cold worker)."""
        with self._lock:
            self._embeddings.clear()
            self._pair_logits.clear()

    def pair_logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The pair model's logits for pairs of content texts, each pair run once per process.

        Keyed by the two texts in canonical (sorted) order, which is how the model reads them
        (:meth:`JudgeModels.symmetric_logits`), so both orders of a pair share an entry. Exact: the
        pair model runs each pair alone, so its logits do not depend on what else was judged with it.
        """
        keys = [(a, b) if a <= b else (b, a) for a, b in pairs]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._pair_logits))
        computed = dict(zip(missing, self.neural.symmetric_logits(missing), strict=True)) if missing else {}
        with self._lock:
            for key, row in computed.items():
                self._pair_logits[key] = row
            found = {k: computed.get(k, self._pair_logits.get(k)) for k in keys}
        rows = []
        for key in keys:
            row = found[key]
            # Evicted between the two looks (a cache smaller than one batch): run it again.
            rows.append(row if row is not None else self.neural.symmetric_logits([key])[0])
        return np.stack(rows) if rows else np.zeros((0, 4), dtype=np.float32)

    def judge(self, pairs: Sequence[tuple[ClaimFeatures, ClaimFeatures]],
              limit: int | None = None, explain: bool = True) -> list[Judgement]:
        """One judgement per pair (a, b); the same pair in the other order gets the same verdict.

        With ``limit`` (one claim against its candidates), the pair model reads only the ``limit``
        pairs closest in embedding among those past the gate; the others are "none". With
        ``explain`` False (dedup and contradict, which keep only duplicates and contradictions), the
        masked check is left out where it cannot change the relation, kind or score: such a pair is
        "none" either way, and only its explanation and evidence are the plainer ones.
        """
        if not pairs:
            return []
        texts = [f.claim.text for pair in pairs for f in pair]
        vectors = self.embeddings(texts)
        cosines = np.einsum("ij,ij->i", vectors[0::2], vectors[1::2]).astype(float)
        survivors = [i for i, (fa, fb) in enumerate(pairs) if self.passes_gate(fa, fb, float(cosines[i]))]
        if limit is not None and len(survivors) > limit:
            # The same content first (one statement by definition, however many near-identical
            # claims about other facts sit closer in embedding), then the closest; ties by
            # position, so the host's ranking decides among equals.
            survivors = sorted(sorted(survivors, key=lambda i: (not same_content(*pairs[i]),
                                                                -cosines[i], i))[:limit])
        logits = np.zeros((len(pairs), 4), dtype=np.float32)
        if survivors:
            logits[survivors] = self.pair_logits(
                [(content_of(pairs[i][0].claim.text), content_of(pairs[i][1].claim.text)) for i in survivors])
        return self.decide(pairs, cosines, logits, read=set(survivors), explain=explain)

    def passes_gate(self, fa: ClaimFeatures, fb: ClaimFeatures, cosine: float) -> bool:
        """Whether a pair is worth the pair model: close enough in embedding, or the same content."""
        return cosine >= self.combiner.gate or same_content(fa, fb)

    def decide(self, pairs: Sequence[tuple[ClaimFeatures, ClaimFeatures]], cosines: np.ndarray,
               logits: np.ndarray, read: set[int] | None = None, explain: bool = True) -> list[Judgement]:
        """Judgements from the embedding cosines and the pair model's logits (rows per pair).

        ``read`` names the pairs the pair model read (default: all past the gate); the others are
        "none": too far apart in embedding, or farther than the closest few candidates. ``explain``
        as in :meth:`judge`.
        """
        out: list[Judgement | None] = []
        analysed: dict[int, tuple[PairAnalysis, np.ndarray]] = {}
        for i, (fa, fb) in enumerate(pairs):
            cosine = float(cosines[i])
            if not self.passes_gate(fa, fb, cosine) or (read is not None and i not in read):
                out.append(Judgement("none", None, 1.0,
                                     f"Different statements (embedding cosine {cosine:.2f}).",
                                     {"none": 1.0, "duplicate": 0.0, "contradiction": 0.0},
                                     {"cosine": round(cosine, 3)}, self.version))
                continue
            analysis = analyse_pair(fa, fb, cosine, logits[i])
            analysed[i] = (analysis, self.combiner.probabilities(np.asarray(analysis.values))[0])
            out.append(None)
        # A clash the pair model does not call a contradiction by itself is one only if the two
        # claims state one fact once the clashing figures, negation or opposite words are masked
        # on both sides: asked of the same judge, batched, for those pairs alone.
        clashing = [i for i, (a, probs) in analysed.items() if _needs_alignment(a, probs, self.combiner)
                    and (explain or _alignment_decides(pairs[i][0], pairs[i][1], a, probs, self.combiner))]
        aligned = dict(zip(clashing, self.same_fact_when_masked(
            [masked_pair(pairs[i][0], pairs[i][1], analysed[i][0]) for i in clashing]), strict=True))
        for i, (analysis, probs) in analysed.items():
            fa, fb = pairs[i]
            out[i] = self._decide(fa, fb, analysis, probs, float(cosines[i]), aligned.get(i))
        return [j for j in out if j is not None]

    def same_fact_when_masked(self, claims: Sequence[tuple[Claim, Claim]]) -> list[float]:
        """The judge's probability that each pair of (masked) claims is one fact."""
        if not claims:
            return []
        pairs = [(analyse(a), analyse(b)) for a, b in claims]
        texts = [(a.text, b.text) for a, b in claims]
        vectors = self.embeddings([t for pair in texts for t in pair])
        cosines = np.einsum("ij,ij->i", vectors[0::2], vectors[1::2]).astype(float)
        logits = self.pair_logits([(content_of(a), content_of(b)) for a, b in texts])
        out = []
        for (fa, fb), cosine, row in zip(pairs, cosines, logits, strict=True):
            values = analyse_pair(fa, fb, float(cosine), row).values
            out.append(float(self.combiner.probabilities(np.asarray(values))[0][RELATIONS.index("duplicate")]))
        return out

    def _decide(self, fa: ClaimFeatures, fb: ClaimFeatures, analysis: PairAnalysis, probs: np.ndarray,
                cosine: float, aligned: float | None = None) -> Judgement:
        p = {name: round(float(v), 4) for name, v in zip(RELATIONS, probs, strict=True)}
        evidence: dict[str, object] = {"cosine": round(cosine, 3), "pair_model": {
            "paraphrase_logit": round(analysis.values[0], 3),
            "p_contradiction": round(analysis.values[3], 3)}}
        c = self.combiner
        if analysis.difference is None and not analysis.changed[0] and not analysis.changed[1]:
            # The same words: the same statement, whatever the models make of it (wire copy).
            return Judgement("duplicate", None, max(p["duplicate"], 1.0 - p["none"]),
                             f"Same fact: {_quote(fa)} and {_quote(fb)} use the same words.",
                             p, {**evidence, "same_words": True}, self.version)
        if aligned is not None and aligned >= c.duplicate_threshold:
            # One fact has one value and one polarity: with the figures, negation or opposite
            # words that differ masked on both sides the judge reads one fact, so it is not a
            # restatement. It is a contradiction unless a definition sets it aside (update,
            # hedge, periods, dispute).
            evidence["same_fact_when_masked"] = round(aligned, 4)
            kind, explanation, reason = _typed(fa, fb, analysis, evidence)
            if reason is None:
                score = round(p["duplicate"] + p["contradiction"], 4)
                return Judgement("contradiction", kind, min(1.0, score), explanation, p, evidence,
                                 self.version)
            evidence["not_a_contradiction"] = reason
            return Judgement("none", None, p["none"], explanation, p, evidence, self.version)
        if p["duplicate"] >= c.duplicate_threshold and p["duplicate"] >= p["contradiction"]:
            return Judgement("duplicate", None, p["duplicate"],
                             f"Same fact: {_quote(fa)} and {_quote(fb)} (p={p['duplicate']:.2f}, "
                             f"cosine {cosine:.2f}).", p, evidence, self.version)
        if p["contradiction"] < c.contradiction_threshold or p["duplicate"] + p["contradiction"] <= p["none"]:
            # Not a contradiction unless the pair is more likely about one thing than not at all
            # ("related" outweighs "none"): a low threshold chosen for F1 on sets with many
            # contradictions must not turn two unrelated claims into a conflict.
            return Judgement("none", None, p["none"],
                             f"Neither the same fact nor a contradiction (p_duplicate={p['duplicate']:.2f}, "
                             f"p_contradiction={p['contradiction']:.2f}).", p, evidence, self.version)
        kind, explanation, reason = _typed(fa, fb, analysis, evidence)
        if reason is not None:
            evidence["not_a_contradiction"] = reason
            return Judgement("none", None, p["none"], explanation, p, evidence, self.version)
        return Judgement("contradiction", kind, p["contradiction"], explanation, p, evidence, self.version)


def _needs_alignment(a: PairAnalysis, probs: np.ndarray, combiner: Combiner) -> bool:
    """Whether a pair's verdict turns on the masked check: a clash the pair model does not call."""
    if a.difference is None and not a.changed[0] and not a.changed[1]:
        return False  # the same words
    clash = bool(a.number_clashes) or a.negation_flip or a.opposites is not None
    return clash and float(probs[RELATIONS.index("contradiction")]) < combiner.contradiction_threshold


def _alignment_decides(fa: ClaimFeatures, fb: ClaimFeatures, a: PairAnalysis, probs: np.ndarray,
                       combiner: Combiner) -> bool:
    """Whether the masked check can change a clashing pair's relation, kind or score.

    One fact when masked makes the pair a contradiction, or "none" (score p_none) when a definition
    sets it aside (hedge, subjects, update, periods, dispute); otherwise the pair is a duplicate if
    the combiner says so, else "none" (score p_none: :func:`_needs_alignment` holds only under the
    contradiction threshold). With a reason to set it aside and no duplicate, both ways give the same.
    """
    p_duplicate = float(probs[RELATIONS.index("duplicate")])
    duplicate = p_duplicate >= combiner.duplicate_threshold and \
        p_duplicate >= float(probs[RELATIONS.index("contradiction")])
    return duplicate or _typed(fa, fb, a, {})[2] is None


_TOKEN = re.compile(r"[\w'’]+")
_NEGATION = re.compile(r"\b(?:not|never|no)\b\s*|(?<=\w)n['’]t\b", re.IGNORECASE)
_CONTRACTED = {"won": "will", "can": "can", "shan": "shall", "ca": "can"}


def _mask(text: str, figures: Sequence[str], words: Sequence[str]) -> str:
    for figure in figures:
        text = re.sub(re.escape(figure), " ", text, count=1, flags=re.IGNORECASE)
    text = re.sub(r"\bcannot\b", "can", text, flags=re.IGNORECASE)
    text = _NEGATION.sub("", text)
    if words:
        keys = {w.lower() for w in words} | {canonical_word(w.lower()) for w in words}
        def drop(m: re.Match[str]) -> str:
            t = m.group(0).lower()
            slot = _SLOT_OF.get(t)
            return "" if t in keys or canonical_word(t) in keys or (slot and slot[0] in keys) else m.group(0)
        text = _TOKEN.sub(drop, text)
    return re.sub(r"\s+", " ", text).strip()


def masked_pair(fa: ClaimFeatures, fb: ClaimFeatures, a: PairAnalysis) -> tuple[Claim, Claim]:
    """Both claims with what the analyses found clashing masked.

    The figures in conflict, the negation, the opposite words go; what is left says whether they
    speak of one fact. Speakers and dates stay as they were.
    """
    words: list[str] = []
    if a.opposites is not None:
        words = [w.removeprefix("not ") for w in a.opposites]
    def masked(f: ClaimFeatures, figures: list[str]) -> Claim:
        c = f.claim
        return claim_from_text(_mask(c.text, figures, words) or c.text, speaker=c.speaker,
                               speaker_role=c.speaker_role, published_at=c.published_at,
                               claim_time=c.claim_time, article_id=c.article_id)
    return (masked(fa, [x.text for x, _ in a.number_clashes]),
            masked(fb, [y.text for _, y in a.number_clashes]))


def _typed(fa: ClaimFeatures, fb: ClaimFeatures, a: PairAnalysis,
           evidence: dict[str, object]) -> tuple[ContradictionKind | None, str, str | None]:
    """The contradiction's kind and explanation, or the reason it is not one (third item)."""
    if same_content(fa, fb) and not a.number_clashes and not a.negation_flip and a.opposites is None:
        # What both state reads word for word the same and the analyses find nothing that clashes
        # in the whole texts (content_of drops the attribution, and with it anything a sentence
        # says after a mid-sentence "..., X said,": a figure or a "not" there still counts). Only
        # the attributions differ (two speakers, or one speaker's name written two ways), so
        # nothing conflicts (BBC politics, learned verdict: one quote under "Vincent Cable" and
        # "Vince Cable" was a conflicting report). Whether it is one fact is the duplicate verdict's:
        # with no clash the masked check never runs, and the duplicate threshold came first.
        return None, (f"No contradiction: {_quote(fa)} and {_quote(fb)} state it in the same words."), \
            "same_words"
    if a.hedged is not None and fa.hedged != fb.hedged:
        return None, (f"No contradiction: {_quote(a.hedged)} is hedged (\"{a.hedged.hedge}\"), so it "
                      "cannot contradict a firm statement."), "hedge"
    only_a, only_b = _exclusive_entities(fa, fb)
    if only_a and only_b:
        # One fact has one subject: each claim names someone or something the other does not
        # ("Unemployment in Brightton rose to 9.7%" and "... in Westport rose to 11.7%").
        evidence["entities"] = {"a": only_a, "b": only_b}
        return None, (f"No contradiction: about different subjects ({only_a[0]} and {only_b[0]})."), \
            "subjects"
    if a.update or _grows_later(fa, fb, a):
        return None, (f"No contradiction: a later report of a growing count is an update "
                      f"({_quote(fa)} then {_quote(fb)})."), "update"
    ta, tb = fa.claim.claim_time, fb.claim.claim_time
    if a.number_clashes and ta and tb and ta != tb:
        return None, f"No contradiction: the figures are for different periods ({ta} and {tb}).", "periods"
    if _one_voice_in_one_article(fa, fb):
        # One report: a speaker's two remarks in one article (or two sentences of its own
        # reporting) that clash by a figure, a negation or an opposite are about two things; a
        # contradiction is between reports of one fact (on BBC politics through the pipeline,
        # such pairs were 3 of the learned judge's 13 alerts, none real).
        return None, (f"No contradiction: {_who(fa)} says both in one article."), "one_voice"
    order = _later(fa, fb)
    if a.both_named and not a.compatible and (fa.stance or fb.stance) and not a.number_clashes:
        return None, (f"A dispute, not a contradiction: {fa.claim.speaker} and {fb.claim.speaker} take "
                      "opposite positions."), "dispute"
    if a.number_clashes:
        x, y = a.number_clashes[0]
        evidence["values"] = [_fmt(x, fa), _fmt(y, fb)]
        kind: ContradictionKind = "numeric"
        what = f"Numeric conflict: {_who(fa)} says {_fmt(x, fa)}, {_who(fb)} says {_fmt(y, fb)}"
    elif a.negation_flip:
        negated = fa if fa.text_negated else fb
        evidence["negated"] = negated.claim.text
        kind, what = "negation", f"Negation conflict: {_quote(negated)} negates the other"
    elif a.opposites is not None:
        evidence["opposites"] = list(a.opposites)
        kind, what = "antonym", f"Antonym conflict: \"{a.opposites[0]}\" against \"{a.opposites[1]}\""
    elif a.difference is not None:
        # The analyses found no clash by meaning; the words that differ say what kind it is.
        evidence["changed"] = {"a": list(a.changed[0]), "b": list(a.changed[1])}
        kind = a.difference  # type: ignore[assignment]
        what = {"numeric": "Numeric conflict", "negation": "Negation conflict",
                "antonym": "Antonym conflict"}[a.difference] + \
            f": {' '.join(a.changed[0]) or '(nothing)'} against {' '.join(a.changed[1]) or '(nothing)'}"
    else:
        if _one_voice(fa, fb):
            # Conflicting reports are two reporters' accounts of one fact. One speaker, or one
            # article in its own voice, saying two things with nothing that differs by name (figure,
            # negation, opposite, date) has said two things, not reported one fact two ways.
            return None, (f"No contradiction: {_who(fa)} says both, and nothing in them differs by "
                          "name (a figure, a negation, an opposite)."), "one_voice"
        kind = "conflicting_report"
        what = f"Conflicting reports: {_who(fa)} and {_who(fb)} cannot both be right"
    if kind in ("negation", "antonym") and a.both_named and a.compatible and _different_times(fa, fb) \
            and order != 0:
        first, second = (fa, fb) if order == 1 else (fb, fa)
        return "stance_reversal", (f"Stance reversal: {_who(first)} said {_quote(first)}; later "
                                   f"{_who(second)} said {_quote(second)}."), None
    if kind in ("negation", "antonym", "conflicting_report") and a.both_named and not a.compatible:
        kind = "conflicting_report"
    return kind, f"{what} ({_quote(fa)} vs {_quote(fb)}).", None


def _one_voice(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    """Whether both claims come from one voice: the same named speaker, or one article's own reporting."""
    if fa.claim.speaker and fb.claim.speaker:
        return _fold_name(fa.claim.speaker) == _fold_name(fb.claim.speaker)
    if fa.claim.speaker or fb.claim.speaker:
        return False
    return _same_article(fa, fb)


def _same_article(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    article = fa.claim.article_id
    return bool(article) and article != _UNKNOWN_ARTICLE and article == fb.claim.article_id


def _one_voice_in_one_article(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    """Whether both claims are one article's, in one voice (the same speaker, or none)."""
    return _same_article(fa, fb) and _one_voice(fa, fb)


def _fold_name(name: str) -> str:
    """A speaker's name as compared: case folded, blanks collapsed."""
    return " ".join(name.split()).casefold()


def _figure(word: str) -> float | None:
    try:
        return float(word.replace(",", "").rstrip("%"))
    except ValueError:
        return None


def _grows_later(fa: ClaimFeatures, fb: ClaimFeatures, a: PairAnalysis) -> bool:
    """Whether the only words that differ are one figure each side, larger in the later report.

    "At least 12 people have died" on Monday and "At least 40 people have died" on Thursday is a
    count that grew: an update. Reports of one time, or a figure that shrinks, are not.
    """
    if a.difference != "numeric" or len(a.changed[0]) != 1 or len(a.changed[1]) != 1:
        return False
    order = _later(fa, fb)
    x, y = _figure(a.changed[0][0]), _figure(a.changed[1][0])
    if order == 0 or x is None or y is None or x == y:
        return False
    return (y > x) == (order == 1)


@cache
def default_judge() -> PairJudge:
    """The process-wide judge with the shipped model."""
    return PairJudge()
