"""What the dependency parse says about a claim: its main verbs, negation, hedges, scare quotes.

Word lists stay where they are exact (the modal auxiliaries, the epistemic adverbs); *where* a
cue sits is read from the parse: a negation counts only on the claim's main verb (or its subject
or object: "no decision", "nobody"), a modal only as that verb's auxiliary. A verb of denial or
rejection ("rejected", "denied", "ruled out") is a stance the speaker takes, asserted, not a
negated fact; a verb of failing or declining ("failed to", "has yet to") negates what follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Lemmas of verbs that report speech or thought: the claim is their complement.
REPORTING_LEMMAS = frozenset(
    "say tell add state explain note write tweet post reply respond comment remark continue announce "
    "confirm insist argue claim maintain stress emphasise emphasize declare assert reveal disclose "
    "report estimate promise pledge vow warn threaten urge admit acknowledge concede agree recall "
    "observe ask caution hint suggest speculate signal indicate predict believe expect think suspect "
    "fear show find conclude".split()
)
# Reporting lemmas that hedge what they report.
HEDGING_REPORT_LEMMAS = frozenset(
    "hint suggest speculate signal indicate predict believe expect think suspect fear estimate".split()
)
# Modal auxiliaries of possibility or obligation; "would", "will" and "can" mostly state
# conditions, plans or abilities in news ("troops would be legitimate targets"): asserted.
HEDGING_MODALS = frozenset({"may", "might", "could", "should"})
# Epistemic adverbs and adjectives of doubt.
EPISTEMIC = frozenset(
    "probably possibly perhaps maybe likely unlikely reportedly allegedly apparently presumably "
    "supposedly potentially conceivably".split()
)
# Verbs that, with an infinitive, leave the infinitive's event open ("is expected to resign").
# Passive "is expected/believed/thought/understood to" and active "appears/seems/hopes/aims to"; a
# belief verb in the speaker's own words ("We expect conditions to improve") states an expectation
# and is asserted, and a plan is a fact about the planner ("plans to close 25 stores").
OPEN_CONTROL_LEMMAS = frozenset("appear seem hope aim consider".split())
PASSIVE_OPEN_CONTROL_LEMMAS = frozenset("expect believe think understand say report rumour rumor".split())
# Adjectives that do the same ("ready to", "willing to"): an offer, not a fact.
OPEN_CONTROL_ADJECTIVES = frozenset({"ready", "willing", "prepared", "likely", "unlikely", "set"})
# Verbs whose infinitive did not happen: "failed to", "declined to", "has yet to", "refused to".
NEGATING_CONTROL_LEMMAS = frozenset({"fail", "decline", "refuse", "neglect"})
# Determiners and pronouns that negate the clause they stand in.
NEGATIVE_WORDS = frozenset({"no", "never", "nobody", "nothing", "none", "neither", "nor", "nowhere"})
# Verbs of denial and rejection: a stance, asserted, never a negation.
STANCE_LEMMAS = frozenset("deny reject dismiss refute dispute contest rebuff condemn criticise criticize".split())
# Dependency labels of a clause's core arguments, where a negative word negates the clause.
_CORE_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "npadvmod"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "conj", "advcl", "parataxis"})


@dataclass(frozen=True, slots=True)
class Mood:
    """The grammar's verdict on one claim."""

    hedged: bool
    hedge: str | None
    negated: bool
    negation: str | None


def tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    """Return the tokens of ``doc`` inside the character range [start, end)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if not t.is_space]


def main_verbs(tokens: list[Token]) -> list[Token]:
    """Return the verbs that carry what a stretch of text asserts.

    They are the heads of the stretch (tokens whose head lies outside it, or roots), their
    coordinated verbs, and, through a reporting verb, its complement: in "X said the plan
    would not work", the claim's verb is "work", not "said".
    """
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    found: list[Token] = []
    queue = [t for t in heads if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT"]
    seen: set[int] = set()
    while queue:
        verb = queue.pop(0)
        if verb.i in seen:
            continue
        seen.add(verb.i)
        # Only a finite complement is what a reporting verb reports: "said the plan would fail";
        # an infinitive belongs to the verb itself ("had not expected to get past").
        complements = [c for c in verb.children if c.dep_ == "ccomp" and c.i in inside]
        if verb.lemma_.lower() in REPORTING_LEMMAS and complements:
            queue.extend(complements)
        else:
            found.append(verb)
        queue.extend(c for c in verb.children if c.dep_ == "conj" and c.i in inside
                     and c.pos_ in ("VERB", "AUX"))
        # A fronted clause the parser hangs under the verb that follows it ("It is not an
        # excuse, she played better") is asserted as much as that verb.
        queue.extend(c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i
                     and c.i in inside and verb.lemma_.lower() not in REPORTING_LEMMAS)
    return found


def _negation_of(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "neg":
            return child.lower_
        if child.dep_ == "csubj" and any(c.dep_ == "neg" for c in child.children):
            # "What they didn't have was time."
            return next(c.lower_ for c in child.children if c.dep_ == "neg")
        if child.dep_ in _CORE_ARGS and (child.lower_ in NEGATIVE_WORDS or any(
            g.dep_ == "det" and g.lower_ in NEGATIVE_WORDS for g in child.children
        )):
            return child.lower_ if child.lower_ in NEGATIVE_WORDS else "no"
        if child.dep_ in ("advmod", "npadvmod") and child.lower_ in NEGATIVE_WORDS:
            return child.lower_
    lemma = verb.lemma_.lower()
    if lemma in NEGATING_CONTROL_LEMMAS and any(c.dep_ == "xcomp" for c in verb.children):
        return lemma
    # "has yet to detail"
    if lemma == "have" and any(c.lower_ == "yet" for c in verb.children) and any(
        c.dep_ == "xcomp" for c in verb.children
    ):
        return "yet to"
    return None


def _hedge_of(verb: Token) -> str | None:
    """Return the hedge a verb carries through its auxiliaries or complements."""
    negated = any(c.dep_ == "neg" for c in verb.children)
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in HEDGING_MODALS and not (child.lower_ == "could" and negated):
            return child.lower_
    lemma = verb.lemma_.lower()
    has_xcomp = any(c.dep_ == "xcomp" for c in verb.children)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if has_xcomp and (lemma in OPEN_CONTROL_LEMMAS or (passive and lemma in PASSIVE_OPEN_CONTROL_LEMMAS)):
        return f"{verb.lower_} to"
    if lemma == "consider" and not passive:
        # "would consider a ballot", "is considering an appeal": nothing decided yet.
        return verb.lower_
    for child in verb.children:
        if child.dep_ == "acomp" and child.lower_ in OPEN_CONTROL_ADJECTIVES and any(
            c.dep_ == "xcomp" for c in child.children
        ):
            return f"{child.lower_} to"
    return None


def mood(tokens: list[Token], reporting_lemma: str | None = None) -> Mood:
    """Return hedge and negation of the claim whose words are ``tokens``.

    ``reporting_lemma`` is the verb that reports the claim when it stands outside its words
    (a direct quote's "hinted"): a hedging verb hedges, a stance verb never negates.
    """
    verbs = main_verbs(tokens)
    negation = None
    for verb in verbs:
        negation = negation or _negation_of(verb)
    # Hedges count wherever they stand in the claim's words, asides included ("The trial, which
    # is expected to last three weeks, ..."): the numbers they qualify are the claim's too.
    hedge = None
    for token in tokens:
        if token.lower_ in EPISTEMIC and token.dep_ in ("advmod", "acomp", "amod", "ROOT"):
            hedge = token.lower_
        elif token.lower_ == "estimated" and token.dep_ == "amod":
            hedge = "an estimated"
        elif token.pos_ in ("VERB", "AUX"):
            hedge = _hedge_of(token)
        if hedge:
            break
    if hedge is None and reporting_lemma and reporting_lemma in HEDGING_REPORT_LEMMAS:
        hedge = reporting_lemma
    return Mood(hedge is not None, hedge, negation is not None, negation)


def is_speakers_words(quote: Span, speaker_verb: Token | None) -> bool:
    """Whether a quoted fragment inside reported speech is the speaker's own wording.

    A fragment stands in what the speaker said when it lies in the complement of the reporting
    verb ("warning that troops would be treated as “legitimate targets”"), is what a verb of
    naming calls something ("calling them “the first concrete step”", "what he called a “very
    good dialogue”"), or is an "as" predicate ("praised the efforts as “constructive”"). A
    fragment inside the object of a stance verb ("rejected proposals to deploy a “reassurance
    force”") or after "so-called" is a label the outlet quotes, not the person's claim.
    """
    head = quote.root
    if any(t.lower_ in ("so-called", "so") and t.i < quote.start and t.i >= quote.start - 2
           for t in quote.doc[max(0, quote.start - 2) : quote.start]):
        return False
    node = head
    for _ in range(32):
        parent = node.head
        if parent.i == node.i:
            return speaker_verb is None
        lemma = parent.lemma_.lower()
        if node.dep_ in ("ccomp", "xcomp", "oprd", "parataxis") and parent.pos_ in ("VERB", "AUX"):
            if lemma in REPORTING_LEMMAS or lemma in ("call", "describe", "brand", "label", "term", "dub"):
                return True
        if node.dep_ == "pobj" and parent.lower_ == "as" and parent.head.pos_ == "VERB":
            return True
        if lemma in ("call", "describe", "brand", "label", "term", "dub") and node.dep_ in (
            "dobj", "oprd", "attr", "ccomp", "xcomp"
        ):
            return True
        if node.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") and lemma in STANCE_LEMMAS:
            return False
        if speaker_verb is not None and parent.i == speaker_verb.i:
            return node.dep_ not in ("dobj", "nsubj", "nsubjpass") or lemma in REPORTING_LEMMAS
        node = parent
    return True
