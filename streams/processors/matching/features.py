"""What the pair rules need to know about one claim, computed once and cached.

A claim is read into :class:`ClaimFeatures`: its content terms (for similarity), its
polarity (negation, antonym slots), modality, amounts, entities, time slots and speaker.
Claims from the extractor and bare texts from the CLI go through the same rules, so two
claims are always compared on equal terms.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from cachetools import LRUCache

from factstream.processors.extract.modality import HEDGE_CUES as _EXTRACT_HEDGE_CUES
from factstream.processors.extract.modality import analyse as modality
from factstream.processors.extract.numbers import find_numbers
from factstream.processors.matching.lexicon import (
    AFFILIATION_ALIASES,
    ANTONYM_SLOTS,
    CUMULATIVE_CUES,
    MONTHS,
    NEGATION_CUES,
    NEGATION_FALSE_FRIENDS,
    STANCE_CUES,
    STANCE_SLOTS,
    STOPWORDS,
    WEEKDAYS,
)
from factstream.processors.matching.quantities import Amount, amounts_from_quantities, parse_amounts
from factstream.processors.matching.speakers import Voice, voice
from factstream.processors.matching.text import (
    canonical_word,
    claim_core_text,
    content_terms,
    guess_entities,
    normalize_text,
    text_hash,
    tokenize,
)
from factstream.schemas.records import Claim, Quantity, TrackedClaim, unvalidated

# Claims whose features are kept: a candidate tracked claim is compared with many new
# claims in a row, and 20k entries (~40 MB) cover the hot set of a busy news day.
FEATURE_CACHE_SIZE = 20_000
# Tracked claims whose features are kept: as many as the store keeps candidates
# (factstream.store.repository.CANDIDATE_CACHE_SIZE), so a cached candidate never needs analysing
# again. ~3 KB each.
TRACKED_FEATURE_CACHE_SIZE = 50_000

_SLOT_OF: dict[str, tuple[str, int]] = {}
for _slot, (_pos, _neg) in ANTONYM_SLOTS.items():
    for _w in _pos:
        _SLOT_OF.setdefault(_w, (_slot, 1))
    for _w in _neg:
        _SLOT_OF.setdefault(_w, (_slot, -1))
_MONTH_SET = frozenset(MONTHS) - {"may"}
_WEEKDAY_SET = frozenset(WEEKDAYS)
# Hedge cues come from the extractor, so a claim is hedged by the same rule in both stages;
# their single words are markers, not content, like negation cues.
_MARKERS = NEGATION_CUES | frozenset(c for c in _EXTRACT_HEDGE_CUES if " " not in c)


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """The parts of a claim that similarity and the agreement checks look at."""

    claim: Claim
    normalized: str
    tokens: tuple[str, ...]
    terms: frozenset[str]
    speaker_terms: frozenset[str]
    mentions: frozenset[str]
    core_terms: frozenset[str]
    text_key: str
    negated: bool
    hedged: bool
    hedge: str | None
    slots: dict[str, int]
    amounts: tuple[Amount, ...]
    entities: tuple[str, ...]
    times: frozenset[str]
    voice: Voice
    day: date | None
    stance: bool
    cumulative: bool
    eventive: bool
    text_negated: bool
    negation_scope: frozenset[str]
    canon: frozenset[str]
    uncheckable: str | None
    self_reference: bool
    named: bool


# A contrastive or concessive clause added to a claim ("..., but no tsunami warning was issued")
# says something else; its negation does not flip the claim. With or without the comma: writers
# and sub-editors differ on it, and one fact's polarity must not turn on punctuation. "while" and
# "as" only after a comma, where they open a clause ("while in office", "as well as" do not).
_SUBORDINATE_RE = re.compile(
    r"(?:,\s*(?:but|while|although|though|whereas|as)|\s(?:but|although|though|whereas))\s")


def _negated(normalized: str, tokens: list[str]) -> bool:
    text = _SUBORDINATE_RE.split(normalized, maxsplit=1)[0]
    for phrase in NEGATION_FALSE_FRIENDS:
        text = text.replace(phrase, " ")
    flips = sum(1 for t in tokenize(text) if t in NEGATION_CUES)
    return flips % 2 == 1


# Words that open or pad a sentence without saying anything ("Indeed, ...", "Now the figure is").
_DISCOURSE = frozenset(
    "indeed now even just also still really actually well so then yet however but and meanwhile instead "
    "though too already currently ever only quite very extremely perhaps of course".split()
)
# Pronouns that, opening a claim, leave its subject to an earlier sentence of the article.
_THIRD_PERSON = frozenset("he she it they his her its their him them".split())
_FIRST_PERSON = frozenset("i we my our me us i've i'm we've we're we'll i'll i'd we'd".split())
_FIRST_PLURAL = frozenset("we our us we've we're we'll we'd".split())
# "This was...", "That is...": a demonstrative followed by a verb is a pronoun; "This year's..." is not.
_DEMONSTRATIVES = frozenset("this that these those".split())
_AUXILIARIES = frozenset(
    "is are was were be been has have had will would could can may might must should 's did does do".split()
)
# Content words (beyond discourse, markers, numbers and antonym slots) a claim needs before it can be
# said to contradict anything: "Indeed he wasn't." or "Now the figure is 14%." name nothing to check.
MIN_CONTENT_TERMS = 2
# Words after a negation cue read as what it negates; the scope also stops at a conjunction.
NEGATION_SCOPE_WORDS = 3
_SCOPE_STOPS = frozenset("and but or that which who because so while although though whereas if when".split())


def _negation_scope(normalized: str) -> frozenset[str]:
    """Return the canonical content words a main-clause negation governs ("did not *sign* the *bill*")."""
    text = _SUBORDINATE_RE.split(normalized, maxsplit=1)[0]
    for phrase in NEGATION_FALSE_FRIENDS:
        text = text.replace(phrase, " ")
    tokens = tokenize(text)
    scope: set[str] = set()
    for i, token in enumerate(tokens):
        if token not in NEGATION_CUES:
            continue
        taken = 0
        for word in tokens[i + 1:]:
            if word in _SCOPE_STOPS or taken >= NEGATION_SCOPE_WORDS:
                break
            if word in STOPWORDS or word in NEGATION_CUES:
                continue
            scope.add(canonical_word(word))
            taken += 1
    return frozenset(scope)


def _subject_pronoun(tokens: list[str]) -> str | None:
    """Return the pronoun a claim opens with, once discourse words are skipped ("Indeed he wasn't")."""
    words = [t for t in tokens if t not in _DISCOURSE]
    if not words:
        return None
    first = words[0]
    if first in _THIRD_PERSON or first in _FIRST_PERSON or first == "you":
        return first
    if first in _DEMONSTRATIVES and len(words) > 1 and words[1] in _AUXILIARIES:
        return first
    return None


def _content(tokens: list[str]) -> list[str]:
    return content_terms([t for t in tokens if t not in _MARKERS and not t[0].isdigit()
                          and t not in _MONTH_SET and t not in _WEEKDAY_SET and t not in "%$€£"])


def _said(raw: str, core_text: str, core_tokens: list[str]) -> list[str]:
    """Return the content terms of what a claim states, without its attribution, however short."""
    bare = claim_core_text(raw, keep_short=False)
    if bare == core_text or raw.lstrip().startswith(bare.strip()[:12]):
        # Nothing stripped up front: a short remainder means the trailing-attribution rule cut a
        # clause that merely contains "said" ("Afterwards, Dent said he ..."), so keep the claim.
        return _content(core_tokens)
    return _content(tokenize(normalize_text(bare)))


def _uncheckable(core_text: str, tokens: list[str], core: list[str], pronoun: str | None,
                 has_speaker: bool) -> str | None:
    """Return why a claim cannot be checked against another one, or None when it can.

    A question or a condition asserts nothing; a subject that is only a pronoun ("he", "it",
    or "we" with nobody named) refers to an earlier sentence; and a claim needs a few content
    words to say what it is about.
    """
    if "?" in core_text:
        return "a question"
    words = [t for t in tokens if t not in _DISCOURSE]
    if words and words[0] in {"if", "unless", "whether"}:
        return "a condition"
    if pronoun is not None and (pronoun == "you" or not has_speaker):
        return f'its subject is only "{pronoun}"'
    content = [t for t in core if t not in _DISCOURSE]
    if len(content) < MIN_CONTENT_TERMS:
        return "too little content"
    return None


# A capitalised word after the first one, or an acronym: the claim names who or what it is about.
_NAMED_RE = re.compile(r"(?<=\S)\s+[\"'(]?([A-Z][a-z]+)|\b([A-Z]{2,})\b")


def _names_something(core_text: str) -> bool:
    """Return True when a claim names its subject (a proper name or acronym, not a month or weekday).

    A sentence's first word counts when it is a possessive ("Spain's economy") or a known place
    or demonym ("Polish inflation"); otherwise its capital says nothing.
    """
    first = re.match(r"\W*([A-Z][\w\-]*)('s?\b)?", core_text)
    if first and (first.group(2) or first.group(1).lower() in AFFILIATION_ALIASES):
        return True
    for match in _NAMED_RE.finditer(core_text):
        word = (match.group(1) or match.group(2)).lower()
        if word not in _MONTH_SET and word not in _WEEKDAY_SET and word != "may":
            return True
    return False


def _hedge(raw: str) -> str | None:
    """Return the hedge cue of a claim: the extractor's cues, plus "close to capturing"."""
    hedge = modality(claim_core_text(raw)).hedge
    if hedge is None:
        near = _NEAR_RE.search(normalize_text(raw))
        hedge = near.group(0) if near else None
    return hedge


# "close to capturing", "near to agreeing": the thing has not happened yet. "There is no
# guarantee that X" and "no assurances that X" leave X open: hedges, not negations of X.
_NEAR_RE = re.compile(r"\b(?:close|near|closer) to \w+ing\b|\bno (?:guarantees?|assurances?)\b")


_DAY_RE = re.compile(
    r"\b(?:(?P<m1>" + "|".join(MONTHS) + r")\s+(?P<d1>\d{1,2})\b"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>" + "|".join(MONTHS) + r")\b)"
)


def _times(raw: str, normalized: str, tokens: list[str]) -> frozenset[str]:
    """Return the months, weekdays and days of the month a claim names ("june", "june 3")."""
    found = {t for t in tokens if t in _MONTH_SET or t in _WEEKDAY_SET}
    if re.search(r"(?<!^)(?<![.!?] )\bMay\b", raw):
        found.add("may")  # capitalised mid-sentence: the month, not the modal verb
    for m in _DAY_RE.finditer(normalized):
        month = m.group("m1") or m.group("m2")
        if month == "may" and "may" not in found:
            continue
        found.add(f"{month} {int(m.group('d1') or m.group('d2'))}")
    return frozenset(found)


_PARTICLE_VERBS = frozenset(
    "set sets step stepped steps back struck strike strikes shut shuts broke break breaks calm calmed "
    "turn turned turns cut cuts cracked crack clamp clamped close closed back backed sign signed "
    "shot shoot gave give picked pick end ended ends wind winding wound".split()
)


def _slots(tokens: list[str]) -> dict[str, int]:
    slots: dict[str, int] = {}
    for i, token in enumerate(tokens):
        hit = _SLOT_OF.get(token)
        if hit is None:
            continue
        slot, sign = hit
        # "up"/"down"/"lower"/"higher" only count right after a verb-ish word, else they are particles.
        if token in {"up", "down"} and (i == 0 or tokens[i - 1] in _PARTICLE_VERBS):
            continue
        slots[slot] = sign
    return slots


def analyse(claim: Claim) -> ClaimFeatures:
    """Return the features of ``claim`` (cached by its content)."""
    key = (claim.id, claim.text, claim.speaker, claim.speaker_role, claim.negated, claim.modality,
           claim.claim_time, claim.published_at, tuple(claim.entities), len(claim.numbers))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    features = _CACHE[key] = _analyse(claim)
    return features


# Least recently used analyses are dropped first: a claim or tracked claim read again is kept.
_CACHE: LRUCache[tuple[Any, ...], ClaimFeatures] = LRUCache(FEATURE_CACHE_SIZE)
_TRACKED_CACHE: LRUCache[str, ClaimFeatures] = LRUCache(TRACKED_FEATURE_CACHE_SIZE)


def analyse_tracked(tracked: TrackedClaim) -> ClaimFeatures:
    """Return the features of a tracked claim, cached by its id.

    What the features are made of (canonical text, speaker, numbers, negation, modality,
    entities, first mention) never changes once a tracked claim exists, so its id is a safe
    key; this skips rebuilding a Claim for every candidate of every decision.
    """
    cached = _TRACKED_CACHE.get(tracked.id)
    if cached is not None:
        return cached
    features = _TRACKED_CACHE[tracked.id] = analyse(claim_from_tracked(tracked))
    return features


def resize_feature_cache(size: int) -> None:
    """Keep the features of ``size`` claims from now on (empties the cache; for bench patches)."""
    global _CACHE, FEATURE_CACHE_SIZE
    FEATURE_CACHE_SIZE = size
    _CACHE = LRUCache(size)


def clear_caches() -> None:
    """Forget every cached analysis (for benchmarks and tests that measure a cold worker)."""
    _CACHE.clear()
    _TRACKED_CACHE.clear()


def remember_tracked(tracked: TrackedClaim, features: ClaimFeatures) -> None:
    """Cache a new tracked claim's features as those of the claim that started it.

    A tracked claim's features are its first claim's, read back through the tracked claim's
    fields (see :func:`claim_from_tracked`): the same text, speaker, numbers, entities, polarity
    and modality, so analysing it again would give the same features (only the hedge cue's
    wording, which no rule reads, can differ). This skips that second analysis.
    """
    if tracked.id not in _TRACKED_CACHE:
        _TRACKED_CACHE[tracked.id] = replace(features, claim=claim_from_tracked(tracked, validate=False))


def features_of_tracked(tracked: TrackedClaim) -> dict[str, Any]:
    """Return a tracked claim's features in stored form (JSON), tagged with :data:`FEATURES_VERSION`.

    The store keeps them next to the tracked claim, so a worker that meets the claim for the first
    time as a candidate (after a restart, on another partition, or in a store larger than its
    cache) restores them instead of analysing the text again.
    """
    f = analyse_tracked(tracked)
    return {
        "v": FEATURES_VERSION,
        "normalized": f.normalized,
        "tokens": list(f.tokens),
        "terms": sorted(f.terms),
        "speaker_terms": sorted(f.speaker_terms),
        "mentions": sorted(f.mentions),
        "core_terms": sorted(f.core_terms),
        "text_key": f.text_key,
        "negated": f.negated,
        "hedged": f.hedged,
        "hedge": f.hedge,
        "slots": f.slots,
        "amounts": [[_num(a.value), _num(a.low), _num(a.high), a.unit, a.text, a.is_year, a.approximate,
                     a.lower_bound] for a in f.amounts],
        "entities": list(f.entities),
        "times": sorted(f.times),
        "voice": [f.voice.name, sorted(f.voice.name_tokens), sorted(f.voice.affiliations),
                  f.voice.representative, f.voice.organisation],
        "stance": f.stance,
        "cumulative": f.cumulative,
        "eventive": f.eventive,
        "text_negated": f.text_negated,
        "negation_scope": sorted(f.negation_scope),
        "canon": sorted(f.canon),
        "uncheckable": f.uncheckable,
        "self_reference": f.self_reference,
        "named": f.named,
    }


def restore_tracked_features(tracked: TrackedClaim, stored: dict[str, Any] | None) -> bool:
    """Put a tracked claim's stored features into the cache :func:`analyse_tracked` reads.

    Stored features written by other matching code (another :data:`FEATURES_VERSION`) are
    ignored, and the claim is analysed afresh when it is needed. Return True when restored.
    """
    if tracked.id in _TRACKED_CACHE:
        return True
    if not stored or stored.get("v") != FEATURES_VERSION:
        return False
    claim = claim_from_tracked(tracked, validate=False)
    s = stored
    name, name_tokens, affiliations, representative, organisation = s["voice"]
    features = ClaimFeatures(
        claim=claim,
        normalized=s["normalized"],
        tokens=tuple(s["tokens"]),
        terms=frozenset(s["terms"]),
        speaker_terms=frozenset(s["speaker_terms"]),
        mentions=frozenset(s["mentions"]),
        core_terms=frozenset(s["core_terms"]),
        text_key=s["text_key"],
        negated=s["negated"],
        hedged=s["hedged"],
        hedge=s["hedge"],
        slots=s["slots"],
        amounts=tuple(Amount(_unnum(v), _unnum(lo), _unnum(hi), unit, text, is_year, approx, lower)
                      for v, lo, hi, unit, text, is_year, approx, lower in s["amounts"]),
        entities=tuple(s["entities"]),
        times=frozenset(s["times"]),
        voice=Voice(name, frozenset(name_tokens), frozenset(affiliations), representative, organisation),
        # Derived from the claim's dates, which the tracked claim carries: not stored.
        day=claim.claim_time or (claim.published_at.date() if claim.published_at else None),
        stance=s["stance"],
        cumulative=s["cumulative"],
        eventive=s["eventive"],
        text_negated=s["text_negated"],
        negation_scope=frozenset(s["negation_scope"]),
        canon=frozenset(s["canon"]),
        uncheckable=s["uncheckable"],
        self_reference=s["self_reference"],
        named=s["named"],
    )
    _TRACKED_CACHE[tracked.id] = features
    return True


def _num(x: float) -> float | str:
    """JSON (and jsonb) have no infinity: an open-ended interval's bound is stored as a string."""
    return str(x) if math.isinf(x) else x


def _unnum(x: float | str) -> float:
    return float(x)


def _rules_fingerprint() -> str:
    """Hash of the source of every module whose rules shape the features.

    Stored features carry it, so features written by older (or newer) rules are never mixed
    with fresh ones: a changed word list or rule makes them stale without a version to bump.
    """
    digest = hashlib.blake2b(digest_size=8)
    for name in sorted(_RULE_MODULES):
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path:
            with open(path, "rb") as source:
                digest.update(source.read())
    return digest.hexdigest()


_RULE_MODULES = (
    __name__,
    "factstream.processors.matching.lexicon",
    "factstream.processors.matching.quantities",
    "factstream.processors.matching.speakers",
    "factstream.processors.matching.text",
    "factstream.processors.extract.modality",
    "factstream.processors.extract.numbers",
)


def _analyse(claim: Claim) -> ClaimFeatures:
    core_text = claim_core_text(claim.text)
    normalized = normalize_text(core_text)
    tokens = tokenize(normalized)
    slots = _slots(tokens)
    spk = voice(claim.speaker, claim.speaker_role)
    speaker_words = frozenset(spk.name_tokens) | frozenset(
        w for w in tokenize(normalize_text(claim.speaker_role or "")) if len(w) > 2
    )
    # Antonym-slot words become one term per side of the slot: "jumped", "rose" and "climbed"
    # are the same term, "fell" another.
    terms = content_terms([t for t in tokens if t not in _SLOT_OF]) + [
        f"@{slot}{'+' if sign > 0 else '-'}" for slot, sign in slots.items()
    ]
    slot_words = {w for w in tokens if w in _SLOT_OF or w in slots}
    core = content_terms(
        [t for t in tokens if t not in _MARKERS and t not in slot_words and not t[0].isdigit()
         and t not in _MONTH_SET and t not in _WEEKDAY_SET and t not in "%$€£"],
    ) + [f"@{slot}" for slot in slots]
    hedge = _hedge(claim.text)
    amounts = parse_amounts(normalized)
    if not amounts and claim.numbers:
        amounts = amounts_from_quantities(claim.numbers)
    entities = [e for e in (claim.entities or guess_entities(claim.text))
                if not (set(e.split()) <= spk.name_tokens) and e != spk.name]
    if spk.name and spk.name not in entities and re.search(rf"\b{re.escape(spk.name)}\b", normalized):
        # "Northfield Steel will close its plant, the company said": once the attribution is set
        # aside the speaker is still the subject, so "Ardent Metals will close the plant" is
        # another fact even though the speaker's words are not compared as content.
        entities.append(spk.name)
    times = _times(claim.text, normalized, tokens)
    day = claim.claim_time or (claim.published_at.date() if claim.published_at else None)
    token_set = set(tokens)
    text_negated = _negated(normalized, tokens)
    pronoun = _subject_pronoun(tokens)
    if pronoun in _FIRST_PLURAL and spk.organisation and spk.organisation.lower() not in entities:
        # "We will close the plant", said by Northfield Steel's chief executive: "we" is the company,
        # so another company named as the subject elsewhere is another fact.
        entities.append(spk.organisation.lower())
    speaker_terms = frozenset(content_terms(list(speaker_words)))
    return ClaimFeatures(
        claim=claim,
        normalized=normalized,
        tokens=tuple(tokens),
        terms=frozenset(t for t in terms if not t[0].isdigit()),
        speaker_terms=speaker_terms,
        mentions=frozenset(tokens) | frozenset(entities) | spk.affiliations
        | frozenset(AFFILIATION_ALIASES[t] for t in tokens if t in AFFILIATION_ALIASES),
        core_terms=frozenset(core),
        # A claim with no content words ("It is to you and I.") keys on its whole text: the hash of
        # no terms would put every such claim in one bucket, as one "fact".
        text_key=(text_hash(terms + (["@neg"] if text_negated else [])) if terms
                  else text_hash(["@text", normalized])),
        negated=claim.negated or text_negated,
        hedged=claim.modality == "hedged" or hedge is not None,
        hedge=claim.hedge or hedge,
        slots=slots,
        amounts=tuple(amounts),
        entities=tuple(entities),
        times=times,
        voice=spk,
        day=day,
        stance=bool(token_set & STANCE_CUES) or bool(set(slots) & STANCE_SLOTS),
        cumulative=bool(token_set & CUMULATIVE_CUES) or any(canonical_word(t) == "kill" for t in tokens),
        eventive=_eventive(tokens),
        text_negated=text_negated,
        negation_scope=_negation_scope(normalized) if text_negated else frozenset(),
        canon=frozenset(canonical_word(t) for t in tokens),
        uncheckable=_uncheckable(core_text, tokens, _said(claim.text, core_text, tokens), pronoun,
                                spk.name is not None),
        self_reference=pronoun is not None,
        named=spk.name is not None or _names_something(core_text),
    )


# Irregular past forms that report an event ("struck", "shot"); regular ones end in "-ed".
_PAST_IRREGULAR = frozenset(
    "struck hit shot sank fled broke began brought caught drove fell fought flew froze gave grew held "
    "hid killed led left lost made met paid ran rose sent sold spent stole stood swept took threw tore "
    "won wore wrote did was were had".split()
)
_FUTURE = frozenset({"will", "would", "shall", "going", "'ll", "wo"})


def _eventive(tokens: list[str]) -> bool:
    """Return True when a claim reports something that happened (a past event), not a position.

    Two sides denying each other's account of an event ("struck the hospital" / "did not
    strike it") is a conflicting report; opposite evaluations or intentions ("is fair",
    "will help") are a dispute.
    """
    if any(t in _FUTURE for t in tokens):
        return False
    return any(t in _PAST_IRREGULAR or (t.endswith("ed") and len(t) > 4 and t.isalpha()) for t in tokens)


def claim_from_text(text: str, **fields: Any) -> Claim:
    """Build a :class:`Claim` from a bare text, filling numbers, negation and modality by rule.

    ``fields`` are any :class:`Claim` fields to set (speaker, speaker_role, published_at,
    source, claim_time, entities...); values given there win over the derived ones. The
    claim's article id defaults to "cli" and its span to the whole text.
    """
    normalized = normalize_text(claim_core_text(text))
    tokens = tokenize(normalized)
    hedge = _hedge(text)
    derived: dict[str, Any] = {
        "article_id": "cli",
        "span": (0, len(text)),
        # The extractor's reading, so a CLI claim carries the numbers a pipeline claim would.
        "numbers": find_numbers(text),
        "negated": _negated(normalized, tokens),
        "modality": "hedged" if hedge else "asserted",
        "hedge": hedge,
        "entities": guess_entities(text),
    }
    derived.update({k: v for k, v in fields.items() if v is not None})
    return Claim(text=text, **derived)


def claim_from_tracked(tracked: TrackedClaim, *, validate: bool = True) -> Claim:
    """Return the claim a tracked claim stands for, so it can be compared like any claim.

    Without ``validate``, the fields of the (already valid) tracked claim are taken as they are:
    the hot path of restoring a stored candidate.
    """
    first = tracked.mentions[0] if tracked.mentions else None
    return (Claim if validate else partial(unvalidated, Claim))(
        id=tracked.id,
        article_id=first.article_id if first else tracked.first_seen_article_id,
        source=first.source if first else "",
        published_at=(first.published_at if first and first.published_at else tracked.first_seen_at),
        text=tracked.canonical_text,
        speaker=tracked.speaker,
        speaker_role=tracked.speaker_role,
        span=first.span if first else (0, len(tracked.canonical_text)),
        numbers=list(tracked.numbers),
        modality=tracked.modality,
        negated=tracked.negated,
        entities=list(tracked.entities),
        claim_time=tracked.claim_time,
    )


# The version tag of stored features (see :func:`features_of_tracked`).
FEATURES_VERSION = _rules_fingerprint()


def quantities(features: ClaimFeatures) -> list[Quantity]:
    """Return the claim's amounts in record form."""
    return [a.to_quantity() for a in features.amounts]
