"""Labelled claim pairs for the pair judge, with fixed train / tune / eval splits.

Every pair gets a split from a hash of its group (the first sentence, the FNC-1 body, the BBC
file), so no sentence sits in two splits: the pair model trains on ``train``, the combiner and its
thresholds are fitted on ``tune``, and every reported figure comes from ``eval``.

Labels, per pair:
- ``para``: 1 (same fact) / 0 (not) / None (no paraphrase label);
- ``nli``: "entailment" / "neutral" / "contradiction" / "not_entailment" / None;
- ``relation``: the judge's own verdict, "duplicate" / "contradiction" / "none", or None when the
  set's label does not say (an entailment is neither clearly a restatement nor not one);
- ``kind``: the contradiction kind where the pair was made by changing one thing.

Pairs made from BBC news (research use, ``../shared/corpus/bbc``): a sentence against itself with a
number, a polarity, a direction or a date changed is a contradiction; with a figure written another
way, a duplicate; with a firm statement hedged, neither (a hedge is not the fact); two different
sentences of one article that share many words, neither (hard negatives). A second pass
(``named_pairs``, its own set ``bbc-names``) makes harder negatives still: a sentence against itself
with a name in what it states (a place, a body, a person who is not the speaker) replaced by
another name of the same article, neither: the same words about another subject are another fact.
A third (``place_pairs``, set ``bbc-places``) does the same with the places, buildings and bodies
spaCy's recogniser finds, swapped for another of the same kind from anywhere in the corpus.

A last set measures and does not train (``candidate_pairs``, set ``bbc-candidates``, eval split
only): the pairs the pipeline itself puts before contradiction detection on BBC news, with the
speakers the extractor gave, labelled neither.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from factstream.schemas.records import Claim

#: Shares of the split hash: train / tune / eval. Fixed so figures stay comparable across runs.
SPLITS = (("train", 0.70), ("tune", 0.85), ("eval", 1.0))


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair of claims."""

    a: str
    b: str
    source: str
    split: str
    para: int | None = None
    nli: str | None = None
    relation: str | None = None
    kind: str | None = None
    #: Claim fields beyond the text (``_CLAIM_FIELDS``: speaker, entities, dates, figures...) where
    #: the pair was read from extracted claims, as the pipeline gives them to the judge; None for bare texts.
    claim_a: dict[str, Any] | None = None
    claim_b: dict[str, Any] | None = None

    @property
    def family(self) -> str:
        """The set the pair weighs with in training: its source up to the first dash.

        ``bbc-names`` is part of the BBC pairs. Weighed as a set of its own in the combiner's fit
        (an eighth of it, all negatives), the swapped names took the paraphrase sets' precision
        with them (docs/models/pair-judge.md, "What was tried").
        """
        return self.source.split("-")[0]

    def to_json(self) -> dict[str, object]:
        """Return the pair as a JSON-ready dict."""
        return asdict(self)

    def claims(self) -> tuple[Claim, Claim]:
        """Both sides as claims: the bare texts, with the extracted fields where the pair has them."""
        from factstream.processors.matching.features import claim_from_text  # noqa: PLC0415

        a, b = self.claim_a or {}, self.claim_b or {}
        return claim_from_text(self.a, **a), claim_from_text(self.b, **b)


def split_of(group: str) -> str:
    """Return the fixed split of a group key."""
    h = int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    for name, upper in SPLITS:
        if h < upper:
            return name
    return "eval"


def _rows(data_dir: Path, name: str) -> Iterator[dict]:
    with gzip.open(data_dir / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _clean(text: str) -> str:
    """Undo MRPC's tokenised spacing (" , " and " 's") so pairs read like news text."""
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"([($]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d)\b", r"\1", text)
    return text.replace('" ', '"').strip()


def public_pairs(data_dir: Path) -> Iterator[Pair]:
    """Pairs from the public sets in ``data_dir`` (see its README for sources and licenses)."""
    for r in _rows(data_dir, "mrpc_train"):
        a, b = _clean(r["a"]), _clean(r["b"])
        dup = r["label"] == "duplicate"
        yield Pair(a, b, "mrpc", split_of("mrpc:" + a), para=int(dup),
                   relation="duplicate" if dup else "none")
    for name in ("stsb_train", "stsb_dev"):
        for r in _rows(data_dir, name):
            score = float(r["score"])
            # Graded similarity: 4+ is "the same meaning" in the STS guidelines, 2.5 and under a
            # different statement; the band between is left out rather than forced either way.
            para = 1 if score >= 4.0 else 0 if score <= 2.5 else None
            if para is None:
                continue
            yield Pair(r["a"], r["b"], "stsb", split_of("stsb:" + r["a"]), para=para,
                       relation="duplicate" if para else "none")
    for name, source in (("sick_train", "sick"), ("snli_dev", "snli"), ("anli_dev", "anli")):
        for r in _rows(data_dir, name):
            label = r["label"]
            relation = {"contradiction": "contradiction", "neutral": "none"}.get(label)
            yield Pair(r["a"], r["b"], source, split_of(f"{source}:" + r["a"]), nli=label,
                       relation=relation)
    for name in ("rte_train", "rte_dev"):
        for r in _rows(data_dir, name):
            yield Pair(r["a"], r["b"], "rte", split_of("rte:" + r["a"]), nli=r["label"])
    yield from fnc_pairs(data_dir)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split news text into sentences (blingfire when installed, else a plain rule)."""
    try:
        import blingfire  # noqa: PLC0415 - optional speed-up; the rule below is the fallback
        found = blingfire.text_to_sentences(text).split("\n")
    except ImportError:  # pragma: no cover - blingfire is a core dependency
        found = _SENTENCE_END.split(text)
    return [s.strip() for s in found if 25 <= len(s.strip()) <= 400]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def fnc_pairs(data_dir: Path, unrelated_per_body: int = 1) -> Iterator[Pair]:
    """FNC-1 headline against the body sentence that shares most words with it.

    A stance is the article's, not one sentence's; the sentence closest to the headline is the
    one most likely to carry it. disagree -> contradiction, agree -> entailment, discuss and
    unrelated -> neutral. Unrelated pairs are thinned to ``unrelated_per_body`` per body (they are
    73% of the set and teach little beyond the first few).
    """
    bodies = {r["body_id"]: r["body"] for r in _rows(data_dir, "fnc1_train_bodies")}
    body_sentences: dict[int, list[tuple[str, set[str]]]] = {}
    unrelated_seen: dict[int, int] = {}
    for r in _rows(data_dir, "fnc1_train"):
        body_id, stance = r["body_id"], r["stance"]
        if stance == "unrelated":
            if unrelated_seen.get(body_id, 0) >= unrelated_per_body:
                continue
            unrelated_seen[body_id] = unrelated_seen.get(body_id, 0) + 1
        if body_id not in body_sentences:
            body_sentences[body_id] = [(s, _words(s)) for s in sentences(bodies.get(body_id, ""))]
        options = body_sentences[body_id]
        if not options:
            continue
        head = _words(r["headline"])
        best = max(options, key=lambda o: len(o[1] & head) / (1 + len(o[1] | head)))[0]
        nli = {"disagree": "contradiction", "agree": "entailment"}.get(stance, "neutral")
        relation = {"disagree": "contradiction", "agree": None}.get(stance, "none")
        yield Pair(r["headline"], best, "fnc1", split_of(f"fnc1:{body_id}"), nli=nli, relation=relation)


# ---------------------------------------------------------------------------------------------
# Pairs made from real news

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
#: Words swapped for their opposite to make a direction contradiction. Same inflection on both
#: sides so the sentence stays grammatical; both directions are used.
_DIRECTION_SWAPS = (
    ("rose", "fell"), ("rise", "fall"), ("rising", "falling"), ("risen", "fallen"),
    ("increased", "decreased"), ("increase", "decrease"), ("increases", "decreases"),
    ("up", "down"), ("higher", "lower"), ("more", "fewer"), ("gained", "lost"), ("won", "lost"),
    ("grew", "shrank"), ("above", "below"), ("strengthened", "weakened"), ("approved", "rejected"),
    ("accepted", "rejected"), ("supported", "opposed"), ("supports", "opposes"), ("support", "oppose"),
    ("expanded", "reduced"), ("opened", "closed"), ("hired", "fired"), ("bought", "sold"),
    ("boosted", "cut"), ("before", "after"), ("best", "worst"), ("increasing", "decreasing"),
    ("win", "lose"), ("wins", "loses"), ("strong", "weak"), ("success", "failure"),
    ("agreed", "refused"), ("allowed", "banned"), ("passed", "defeated"), ("profit", "loss"),
)
_SWAP = {**{a: b for a, b in _DIRECTION_SWAPS}, **{b: a for a, b in _DIRECTION_SWAPS}}
#: Auxiliaries whose negation flips the sentence's polarity ("is" -> "is not").
_AUXILIARIES = ("is", "was", "are", "were", "will", "would", "has", "have", "had", "can", "could",
                "should", "did", "does", "do")
#: Ways a firm statement is hedged; a hedged claim is not the firm fact.
_HEDGES = (("will", "may"), ("will", "could"), ("is", "may be"), ("are", "may be"), ("was", "may have been"),
           ("has", "may have"), ("will", "is expected to"), ("would", "might"))
_WORD_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten", 12: "twelve", 20: "twenty"}


def _fmt_like(value: float, template: str, decimals: str | None) -> str:
    if decimals:
        return f"{value:.{len(decimals) - 1}f}"
    text = str(int(round(value)))
    if "," in template:
        text = f"{int(round(value)):,}"
    return text


def _changed_number(sentence: str, rng: random.Random) -> tuple[str, str] | None:
    """The sentence with one figure changed, and the kind: a year moved is a date conflict."""
    matches = list(_NUMBER.finditer(sentence))
    if not matches:
        return None
    m = rng.choice(matches)
    raw, decimals = m.group(1), m.group(2)
    value = float(raw.replace(",", "") + (decimals or ""))
    if _YEAR.match(raw) and not decimals:
        new = str(int(value) + rng.choice((-3, -2, -1, 1, 2, 3)))
    else:
        if value == 0:
            return None
        factor = rng.choice((rng.uniform(0.4, 0.8), rng.uniform(1.25, 2.5)))
        new_value = value * factor
        if not decimals and abs(new_value - value) < 1:
            new_value = value + rng.choice((-1, 1)) * max(1, round(value * 0.3))
        new = _fmt_like(new_value, raw, decimals)
        if new.replace(",", "") == (raw + (decimals or "")).replace(",", ""):
            return None
    return sentence[: m.start()] + new + sentence[m.end():], "numeric"


def _restated_number(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one figure written another way (same value)."""
    matches = list(_NUMBER.finditer(sentence))
    if not matches:
        return None
    m = rng.choice(matches)
    raw, decimals = m.group(1), m.group(2)
    value = float(raw.replace(",", "") + (decimals or ""))
    if _YEAR.match(raw) and not decimals:
        return None
    options = []
    if "," in raw:
        options.append(raw.replace(",", ""))
    elif value >= 1000 and not decimals:
        options.append(f"{int(value):,}")
    if not decimals and int(value) in _WORD_NUMBERS:
        options.append(_WORD_NUMBERS[int(value)])
    after = sentence[m.end():]
    if after.startswith("%"):
        return sentence[: m.end()] + " per cent" + after[1:]
    if after.startswith(" per cent"):
        return sentence[: m.end()] + "%" + after[len(" per cent"):]
    if value >= 1e6 and not decimals and int(value) % 100_000 == 0:
        options.append(f"{value / 1e6:g} million")
    if not options:
        return None
    return sentence[: m.start()] + rng.choice(options) + sentence[m.end():]


def _word_swap(sentence: str, table: dict[str, str], rng: random.Random) -> str | None:
    words = list(re.finditer(r"\b[a-z]+\b", sentence))
    hits = [m for m in words if m.group(0) in table]
    if not hits:
        return None
    m = rng.choice(hits)
    return sentence[: m.start()] + table[m.group(0)] + sentence[m.end():]


def _negated(sentence: str, rng: random.Random) -> str | None:
    """The sentence with its polarity flipped: a "not" added after an auxiliary, or taken away."""
    removable = list(re.finditer(r"\b(not|n't|never)\b ?", sentence))
    if removable and rng.random() < 0.4:
        m = rng.choice(removable)
        word = m.group(1)
        if word == "n't":
            return None
        return sentence[: m.start()] + ("ever " if word == "never" else "") + sentence[m.end():]
    hits = [m for m in re.finditer(r"\b(" + "|".join(_AUXILIARIES) + r")\b", sentence)
            if not sentence[m.end():].startswith((" not", "n't"))]
    if not hits:
        return None
    m = rng.choice(hits)
    return sentence[: m.end()] + " not" + sentence[m.end():]


def _hedged(sentence: str, rng: random.Random) -> str | None:
    options = [(firm, soft) for firm, soft in _HEDGES if re.search(rf"\b{firm}\b", sentence)]
    if not options:
        return None
    firm, soft = rng.choice(options)
    return re.sub(rf"\b{firm}\b", soft, sentence, count=1)


def _synonym_table() -> list[tuple[tuple[str, ...], frozenset[str] | None]]:
    from factstream.processors.matching.lexicon import SYNONYM_GROUPS  # noqa: PLC0415 - training only
    return [(tuple(w for w in words if " " not in w), context) for words, context in SYNONYM_GROUPS]


def _synonym_swap(sentence: str, rng: random.Random,
                  table: list[tuple[tuple[str, ...], frozenset[str] | None]]) -> str | None:
    """The sentence with one word replaced by a listed synonym of the same ending (same fact)."""
    lowered = set(re.findall(r"[a-z]+", sentence.lower()))
    options = []
    for words, context in table:
        if context is not None and not context & lowered:
            continue
        for w in words:
            if w in lowered:
                same = [v for v in words if v != w and v[-2:] == w[-2:]]
                if same:
                    options.append((w, same))
    if not options:
        return None
    w, same = rng.choice(options)
    return re.sub(rf"\b{w}\b", rng.choice(same), sentence, count=1)


_ATTRIBUTED = re.compile(r"^((?:[A-Z][\w.'-]*\s?){1,4}) (said|says|told [\w ]{2,20}?) (?:that )?(.+?)\.$")


def _attribution_moved(sentence: str) -> str | None:
    """Move the attribution to the end: the same fact, the same speaker.

    "Mr X said the plan will fail." becomes "The plan will fail, Mr X said."
    """
    m = _ATTRIBUTED.match(sentence)
    if not m or len(m.group(3).split()) < 4:
        return None
    clause = m.group(3)
    return f"{clause[0].upper()}{clause[1:]}, {m.group(1).strip()} {m.group(2)}."


def _articles(corpus_dir: Path) -> Iterator[tuple[str, str]]:
    """Each BBC article's group key (its folder and file) and body (the text after the title line)."""
    for path in sorted(corpus_dir.rglob("*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        lines = text.split("\n", 1)
        yield f"bbc:{path.parent.name}/{path.name}", lines[1] if len(lines) > 1 else lines[0]


def news_pairs(corpus_dir: Path, seed: int = 13, per_article: int = 6) -> Iterator[Pair]:
    """Pairs made from the BBC articles under ``corpus_dir`` (see the module docstring)."""
    rng = random.Random(seed)
    synonyms = _synonym_table()
    # Operations, tried in a random order per sentence; weights give each kind a fair share.
    operations = (("numeric", 3), ("negation", 2), ("antonym", 2), ("restated", 2), ("synonym", 2),
                  ("moved", 1), ("hedged", 2), ("other", 2))
    for group, body in _articles(corpus_dir):
        split = split_of(group)
        sents = sentences(body)
        if not sents:
            continue
        rng.shuffle(sents)
        made = 0
        for s in sents:
            if made >= per_article:
                break
            order = [op for op, weight in operations for _ in range(weight)]
            rng.shuffle(order)
            pair: Pair | None = None
            for op in dict.fromkeys(order):
                pair = _make(op, s, sents, split, rng, synonyms)
                if pair is not None:
                    break
            if pair is not None:
                if rng.random() < 0.5:
                    pair = Pair(pair.b, pair.a, pair.source, pair.split, pair.para, pair.nli,
                                pair.relation, pair.kind)
                made += 1
                yield pair


def _make(op: str, s: str, sents: list[str], split: str, rng: random.Random,
          synonyms: list[tuple[tuple[str, ...], frozenset[str] | None]]) -> Pair | None:
    contradiction: dict[str, Any] = {"para": 0, "nli": "contradiction", "relation": "contradiction"}
    duplicate: dict[str, Any] = {"para": 1, "nli": "entailment", "relation": "duplicate"}
    neither: dict[str, Any] = {"para": 0, "nli": "neutral", "relation": "none"}
    if op == "numeric":
        changed = _changed_number(s, rng)
        return Pair(s, changed[0], "bbc", split, kind=changed[1], **contradiction) if changed else None
    if op == "negation":
        b = _negated(s, rng)
        return Pair(s, b, "bbc", split, kind="negation", **contradiction) if b else None
    if op == "antonym":
        b = _word_swap(s, _SWAP, rng)
        return Pair(s, b, "bbc", split, kind="antonym", **contradiction) if b else None
    if op == "restated":
        b = _restated_number(s, rng)
        return Pair(s, b, "bbc", split, **duplicate) if b else None
    if op == "synonym":
        b = _synonym_swap(s, rng, synonyms)
        return Pair(s, b, "bbc", split, **duplicate) if b else None
    if op == "moved":
        b = _attribution_moved(s)
        return Pair(s, b, "bbc", split, **duplicate) if b else None
    if op == "hedged":
        b = _hedged(s, rng)
        return Pair(s, b, "bbc", split, **neither) if b else None
    ws = _words(s)
    others = [o for o in sents if o != s]
    if not others or not ws:
        return None
    o = max(others, key=lambda x: len(_words(x) & ws))
    return Pair(s, o, "bbc", split, **neither) if len(_words(o) & ws) >= 2 else None


#: A name as written: one to three capitalised words ("Leeds", "Marks Spencer", "Royal Mail").
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}\b")
#: Capitalised words that are no name of a subject: titles, time words, pronouns.
_NOT_NAMES = frozenset(
    "Mr Mrs Ms Miss Dr Sir Lord Lady Dame Prof Professor The A An He She It They We I You This That "
    "These Those His Her Its Their But And Or If When While As In On At For Of By To".split())


_MID_SENTENCE = re.compile(r"[a-z,]\s$")
_SPEAKS = re.compile(r"(?:\s*,[^,]{0,80},)?\s+(?:\w+ly\s+)?(?:has\s+|had\s+)?(?:said|says|told|tells|warned|"
                     r"added|argued|claimed|insisted|stated|announced|explained|believes|thinks|wrote|"
                     r"admitted|urged|agreed|denied|revealed|predicted|suggested)\b")


def _subject_names(text: str, speaker_words: set[str]) -> list[str]:
    """Names in ``text`` that could be what a sentence is about: not its first word, no time word."""
    from factstream.processors.matching.text import MONTHS, WEEKDAYS  # noqa: PLC0415

    time_words = {w.capitalize() for w in (*MONTHS, *WEEKDAYS)}
    found = []
    for m in _NAME.finditer(text):
        words = m.group(0).replace("-", " ").split()
        # Mid-sentence only, after a lower-case word or a comma: a capital there is a name's.
        if not _MID_SENTENCE.search(text[: m.start()]) or words[0] in _NOT_NAMES \
                or any(w in time_words for w in words) or set(words) & speaker_words:
            continue
        if _SPEAKS.match(text[m.end():]):
            continue  # the subject of a verb of saying is the speaker: another speaker, same fact
        found.append(m.group(0))
    return found


def _swapped(sentence: str, name: str, others: list[str], source: str, group: str,
             rng: random.Random) -> Pair:
    """The sentence against itself with ``name`` replaced by one of ``others``, in a random order."""
    b = re.sub(rf"\b{re.escape(name)}\b", rng.choice(others), sentence)
    pair = Pair(sentence, b, source, split_of(group), para=0, nli="neutral", relation="none")
    if rng.random() < 0.5:
        pair = Pair(pair.b, pair.a, pair.source, pair.split, pair.para, pair.nli, pair.relation)
    return pair


def named_pairs(corpus_dir: Path, seed: int = 29, per_article: int = 1) -> Iterator[Pair]:
    """Each article's sentences with a name of what they state swapped for another of its names."""
    from factstream.processors.judge.features import content_of  # noqa: PLC0415
    from factstream.processors.matching.text import _PUNCT_MAP as PUNCT_MAP  # noqa: PLC0415

    rng = random.Random(seed)
    for group, body in _articles(corpus_dir):
        sents = sentences(body)
        pool = sorted({n for s in sents for n in _subject_names(s, set())})
        rng.shuffle(sents)
        made = 0
        for s in sents:
            if made >= per_article:
                break
            content = content_of(s)
            # The attribution's words are the speaker's: another speaker saying the same is the
            # same fact, so only names in what the sentence states are swapped. content_of reads
            # the text with its punctuation made plain: compare it with the text made the same way.
            plain = unicodedata.normalize("NFKC", s).translate(PUNCT_MAP)
            speaker_words = set(re.findall(r"[A-Z][a-z]+", plain.replace(content, " ")))
            names = [n for n in _subject_names(content, speaker_words) if n in s]
            if not names:
                continue
            name = rng.choice(names)
            size = len(name.split())
            others = [o for o in pool if len(o.split()) == size and o not in s and name not in o
                      and o not in name]
            if not others:
                continue
            made += 1
            yield _swapped(s, name, others, "bbc-names", group, rng)


#: The recogniser's labels of names that are no person: a country or town, a region, a building,
#: a body. Swapping one of these for another of the same label changes what a sentence is about.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


def place_pairs(corpus_dir: Path, seed: int = 31, per_article: int = 1, looked_at: int = 6
                ) -> Iterator[Pair]:
    """Each article's sentence with a place or body in what it states swapped for another, neither.

    ``named_pairs`` swaps capitalised words for another name of the same article, mostly people's.
    Here spaCy's recogniser (the extractor's pipeline, entities only) finds the places, buildings
    and bodies, and the swapped-in name is one of the same label from anywhere in the corpus: the
    Carvel ferry against the Marlow ferry, a harbour in one town against one in another. Only
    names in what the sentence states are swapped (not its speaker's), as in ``named_pairs``.
    """
    from factstream.processors.extract.parsing import entities_many  # noqa: PLC0415
    from factstream.processors.judge.features import content_of  # noqa: PLC0415

    rng = random.Random(seed)
    looked: list[tuple[str, str]] = []
    for group, body in _articles(corpus_dir):
        sents = sentences(body)
        rng.shuffle(sents)
        looked.extend((group, s) for s in sents[:looked_at])
    docs = entities_many([s for _, s in looked])

    def names_in(doc: Any) -> list[Any]:
        return [e for e in doc.ents if e.label_ in _PLACE_LABELS and e.text[:1].isupper()
                and e.text.split()[0] not in _NOT_NAMES]

    # The swapped-in names are those the recogniser gave the same label at least twice: a name it
    # labels once is as often a person or a title it misread.
    seen = Counter((e.label_, e.text) for doc in docs for e in names_in(doc))
    pool: dict[str, list[str]] = {label: [] for label in _PLACE_LABELS}
    for (label, name), count in sorted(seen.items()):
        if count >= 2:
            pool[label].append(name)
    made: dict[str, int] = {}
    for (group, s), doc in zip(looked, docs, strict=True):
        if made.get(group, 0) >= per_article:
            continue
        content = content_of(s)
        names = [e for e in names_in(doc) if re.search(rf"\b{re.escape(e.text)}\b", content)]
        if not names:
            continue
        e = rng.choice(names)
        others = [o for o in pool[e.label_] if o not in s and e.text not in o and o not in e.text]
        if not others:
            continue
        made[group] = made.get(group, 0) + 1
        yield _swapped(s, e.text, others, "bbc-places", group, rng)


def all_pairs(shared: Path, candidates: bool = False) -> list[Pair]:
    """Every labelled pair: the public sets, then pairs made from BBC news.

    With ``candidates``, also the pipeline's candidate pairs of the eval split (``candidate_pairs``:
    extraction of four BBC folders, about ten minutes on two cores).
    """
    bbc = shared / "corpus" / "bbc"
    pairs = (list(public_pairs(shared / "data")) + list(news_pairs(bbc)) + list(named_pairs(bbc))
             + list(place_pairs(bbc)))
    return pairs + list(candidate_pairs(bbc)) if candidates else pairs


def write_jsonl(pairs: list[Pair], path: Path) -> None:
    """Write pairs as gzip JSONL."""
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[Pair]:
    """Read pairs written by :func:`write_jsonl`."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [Pair(**json.loads(line)) for line in fh if line.strip()]


#: Topic folders whose articles give the pipeline-candidate pairs. Politics is left out: the
#: contradiction audit of BBC politics through the pipeline is how the judge is read on real news,
#: and it must stay text the judge was never fitted on.
CANDIDATE_FOLDERS = ("business", "entertainment", "sport", "tech")

#: The fields of an extracted claim that the judge reads beyond its text (the text alone would
#: give its numbers, negation and modality by rule, which the extractor reads otherwise).
_CLAIM_FIELDS = ("speaker", "speaker_role", "entities", "article_id", "claim_time", "published_at", "numbers",
                 "negated", "modality", "hedge")


def _fields(claim: Claim) -> dict[str, Any]:
    """An extracted claim's fields that the judge reads, JSON-ready (:meth:`Pair.claims` reads them back)."""
    return claim.model_dump(mode="json", include=set(_CLAIM_FIELDS))


def candidate_pairs(corpus_dir: Path, folders: tuple[str, ...] = CANDIDATE_FOLDERS,
                    splits: tuple[str, ...] = ("eval",)) -> Iterator[Pair]:
    """Pairs the pipeline itself puts before contradiction detection, from BBC news: neither.

    Each topic folder's articles are extracted in order, as a stream; each claim meets the earlier
    claims of other articles that share one of its blocking keys or lie within the store's semantic
    distance, and the pair model would read the closest ``PAIR_MODEL_CANDIDATES`` of those. A claim that
    the shipped judge reads as one fact with any of those is left out with all its pairs:
    deduplication merges it, so contradiction detection never runs for it. The rest (set
    ``bbc-candidates``), every one whose later claim's article falls in ``splits``, are labelled
    neither, with the fields the extractor gave (speakers, entities, dates, figures, negation,
    modality): claims about one company, team or minister that state different facts, as the judge
    meets them on live news. The label is assumed, not read: a candidate that restates its claim in
    words the judge misses, or contradicts it, is labelled wrongly (docs/models/pair-judge.md).
    Nearer the pipeline than the labelled sets, not the same: the store's caps (50 tracked claims
    per key, 40 per claim) do not apply, and earlier claims are met as extracted, not as the tracked
    claims they became.

    A measurement, not training data: made for the eval split only, and without paraphrase or NLI
    labels. The labelled sets carry no speakers; fitted on candidates that do, the combiner learned
    that two named speakers mean "neither" (the only pairs with speakers were negatives), which
    would silence real conflicts between named people.
    """
    from factstream.processors.extract import extract_claims  # noqa: PLC0415
    from factstream.processors.judge import PAIR_MODEL_CANDIDATES, PairJudge  # noqa: PLC0415
    from factstream.processors.judge.features import content_of  # noqa: PLC0415
    from factstream.processors.matching import analyse  # noqa: PLC0415
    from factstream.processors.matching.keys import blocking_keys  # noqa: PLC0415
    from factstream.schemas.records import Article  # noqa: PLC0415
    from factstream.store.repository import SEMANTIC_MAX_DISTANCE  # noqa: PLC0415

    judge = PairJudge()
    # Articles an hour apart in file order, as the contradiction audit streams them: "later"
    # (updates, stance reversals) means later in the stream.
    start = dt.datetime(2005, 1, 1, tzinfo=dt.UTC)
    for folder in folders:
        claims: list[tuple[str, Claim, set[str]]] = []  # (group, claim, keys), in stream order
        for index, (group, body) in enumerate(_articles(corpus_dir / folder)):
            if not body.strip():
                continue
            article = Article(source="bbc", url=f"file://{group}", body=body,
                              published_at=start + dt.timedelta(hours=index))
            claims.extend((group, claim, set(blocking_keys(claim))) for claim in extract_claims(article))
        if not claims:
            continue
        texts = [content_of(claim.text) for _, claim, _ in claims]
        vectors = judge.embeddings(texts)
        groups = [group for group, _, _ in claims]
        by_key: dict[str, list[int]] = {}
        met_by: dict[str, list[tuple[int, int]]] = {}
        for i, (group, _, keys) in enumerate(claims):
            cosines = vectors[:i] @ vectors[i]
            met = set(np.flatnonzero(cosines >= 1.0 - SEMANTIC_MAX_DISTANCE).tolist())
            met.update(j for key in keys for j in by_key.get(key, ()))
            for key in keys:
                by_key.setdefault(key, []).append(i)
            ranked = sorted((j for j in met if groups[j] != group), key=lambda j: (-cosines[j], j))
            met_by.setdefault(group, []).extend(
                (j, i) for j in ranked[:PAIR_MODEL_CANDIDATES] if texts[j] != texts[i])
        chosen = [(group, pair) for group, found in met_by.items() if split_of(group) in splits
                  for pair in found]
        verdicts = judge.judge([(analyse(claims[j][1]), analyse(claims[i][1])) for _, (j, i) in chosen],
                               explain=False)
        # A claim deduplication merges into a fact it met is no new fact: contradiction detection
        # never runs for it, against any candidate.
        merged = {i for (_, (_, i)), verdict in zip(chosen, verdicts, strict=True)
                  if verdict.relation == "duplicate"}
        for group, (j, i) in chosen:
            if i not in merged:
                yield Pair(claims[j][1].text, claims[i][1].text, "bbc-candidates", split_of(group),
                           relation="none", claim_a=_fields(claims[j][1]), claim_b=_fields(claims[i][1]))
