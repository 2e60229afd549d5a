"""What the dependency parse says about a claim: its main verbs, negation, hedges, scare quotes.

Word lists stay where they are exact (the modal auxiliaries, the epistemic adverbs); *where* a
cue sits is read from the parse: a negation counts only on the claim's main verb (or its subject
or object: "no decision", "nobody"), a modal only as that verb's auxiliary. A verb of denial or
rejection ("rejected", "denied", "ruled out") is a stance the speaker takes, asserted, not a
negated fact; a verb of failing or declining ("failed to", "has yet to") negates what follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factstream.processors.extract.lexicon import NAME_TITLES, POST_NOMINALS, SPOKES_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Lemmas of verbs that report speech or thought: the claim is their complement.
REPORTING_LEMMAS = frozenset(
    "say tell add state explain note write tweet post reply respond comment remark continue announce "
    "confirm insist argue claim maintain stress emphasise emphasize declare assert reveal disclose "
    "report estimate promise pledge vow warn threaten urge admit acknowledge concede agree recall "
    "observe ask caution hint suggest speculate signal indicate predict believe expect think suspect "
    "fear show find conclude confess".split()
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
PASSIVE_OPEN_CONTROL_LEMMAS = frozenset(
    "expect believe think understand say report rumour rumor".split()
)
# The same verbs with an empty "it" and a clause ("It is thought that ...", "it is hoped that
# ...") hedge the clause the same way.
IMPERSONAL_HEDGE_LEMMAS = PASSIVE_OPEN_CONTROL_LEMMAS | frozenset({"hope", "fear", "suspect"})
# Verbs of belief whose negation is the clause's ("He did not think the comments were offensive"
# says he thinks they were not; "neg-raising"): a "not" on them negates what they report.
NEG_RAISING_LEMMAS = frozenset({"think", "believe", "expect"})
# Adjectives that do the same ("ready to", "willing to"): an offer, not a fact.
OPEN_CONTROL_ADJECTIVES = frozenset({"ready", "willing", "prepared", "likely", "unlikely", "set"})
# Verbs whose infinitive did not happen: "failed to", "declined to", "has yet to", "refused to".
NEGATING_CONTROL_LEMMAS = frozenset({"fail", "decline", "refuse", "neglect"})
# Determiners and pronouns that negate the clause they stand in.
NEGATIVE_WORDS = frozenset({"no", "never", "nobody", "nothing", "none", "neither", "nor", "nowhere"})
# Verbs of denial and rejection: a stance, asserted, never a negation.
STANCE_LEMMAS = frozenset(
    "deny reject dismiss refute dispute contest rebuff condemn criticise criticize".split()
)
# Verbs of naming: their object or predicate is the speaker's own wording ("calling them “...”").
NAMING_LEMMAS = frozenset({"call", "describe", "brand", "label", "term", "dub"})
# Verbs of praise and blame: a short quoted phrase below them is how the speaker characterises
# something ("accused the chancellor of using “fancy statistics”", "welcomed his “gracious
# apology”"), not a label, though no verb of saying stands above it.
EVALUATION_LEMMAS = frozenset({"accuse", "hail", "welcome", "praise", "applaud", "blame", "attack"})
# Irregular forms of the verbs above (the lemmatizer is not loaded: see parsing.py).
_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think",
    "shown": "show", "found": "find", "has": "have", "had": "have", "having": "have", "is": "be",
    "are": "be", "was": "be", "were": "be", "been": "be", "am": "be", "being": "be",
    "understood": "understand",
    "heard": "hear", "kept": "keep", "made": "make", "did": "do", "does": "do", "done": "do",
}


def _inflections(base: str) -> list[str]:
    stem = base[:-1] if base.endswith("e") else base
    third = base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else (
        base[:-1] + "ies" if base.endswith("y") and base[-2] not in "aeiou" else base + "s")
    past = base + "d" if base.endswith("e") else (
        base[:-1] + "ied" if base.endswith("y") and base[-2] not in "aeiou" else base + "ed")
    doubled = base + base[-1] + "ed" if base in ("signal", "label", "refer") else past
    return [base, third, past, doubled, stem + "ing", base + base[-1] + "ing"]


_LEMMA_OF: dict[str, str] = {}


def lemma(token: Token) -> str:
    """Return the lemma of a verb the grammar knows, else the lowered word."""
    if not _LEMMA_OF:
        bases = (REPORTING_LEMMAS | HEDGING_REPORT_LEMMAS | OPEN_CONTROL_LEMMAS | PASSIVE_OPEN_CONTROL_LEMMAS
                 | NEGATING_CONTROL_LEMMAS | STANCE_LEMMAS | NAMING_LEMMAS | EVALUATION_LEMMAS
                 | {"have", "be", "consider"})
        for base in sorted(bases):
            for form in _inflections(base):
                _LEMMA_OF.setdefault(form, base)
        _LEMMA_OF.update(_IRREGULAR)
    word = token.lower_
    return _LEMMA_OF.get(word, word)


def is_verb(token: Token) -> bool:
    """Whether the tagger calls the token a verb or modal (Penn tags ``VB*``, ``MD``)."""
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def _key(token: Token) -> tuple[int, int]:
    # Tokens of a stretch may come from two sentence Docs: index and Doc tell them apart.
    return id(token.doc), token.i


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


def main_verbs(tokens: list[Token], through: list[Token] | None = None) -> list[Token]:
    """Return the verbs that carry what a stretch of text asserts.

    They are the heads of the stretch (tokens whose head lies outside it, or roots), their
    coordinated verbs, and, through a reporting verb, its complement: in "X said the plan
    would not work", the claim's verb is "work", not "said". The reporting verbs passed through
    are appended to ``through`` when given.
    """
    inside = {_key(t) for t in tokens}
    heads = [t for t in tokens if _key(t.head) not in inside or t.head.i == t.i]
    found: list[Token] = []
    queue = [t for t in heads if is_verb(t) or t.dep_ == "ROOT"]
    seen: set[tuple[int, int]] = set()
    while queue:
        verb = queue.pop(0)
        if _key(verb) in seen:
            continue
        seen.add(_key(verb))
        # Only a finite complement is what a reporting verb reports: "said the plan would fail";
        # an infinitive belongs to the verb itself ("had not expected to get past").
        complements = [c for c in verb.children if c.dep_ == "ccomp" and _key(c) in inside]
        if lemma(verb) in REPORTING_LEMMAS and complements:
            queue.extend(complements)
            if through is not None:
                through.append(verb)
        else:
            found.append(verb)
        queue.extend(c for c in verb.children if c.dep_ == "conj" and _key(c) in inside and is_verb(c))
        # A fronted clause the parser hangs under the verb that follows it ("It is not an
        # excuse, she played better") is asserted as much as that verb.
        queue.extend(c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i
                     and _key(c) in inside and lemma(verb) not in REPORTING_LEMMAS)
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
        if child.dep_ == "advmod" and child.lower_ in ("longer", "more") and any(
                g.lower_ == "no" for g in child.children):
            after = child.doc[child.i + 1].lower_ if child.i + 1 < len(child.doc) else ""
            if after not in ("just", "only", "simply", "merely", "than"):  # "no longer than ten minutes"
                return f"no {child.lower_}"  # "can no longer lay claim"; "is no longer just X" affirms
    base = lemma(verb)
    if base in NEGATING_CONTROL_LEMMAS and any(c.dep_ == "xcomp" for c in verb.children):
        return base
    # "has yet to detail"
    if base == "have" and any(c.lower_ == "yet" for c in verb.children) and any(
        c.dep_ == "xcomp" for c in verb.children
    ):
        return "yet to"
    return None


def _hedge_of(verb: Token) -> str | None:
    """Return the hedge a verb carries through its auxiliaries or complements."""
    negated = any(c.dep_ == "neg" for c in verb.children)
    for child in verb.children:
        could_not = child.lower_ == "could" and negated  # a denied ability, no hedge
        if child.dep_ == "aux" and child.lower_ in HEDGING_MODALS and not could_not:
            return child.lower_
    base = lemma(verb)
    has_xcomp = any(c.dep_ == "xcomp" for c in verb.children)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if has_xcomp and (base in OPEN_CONTROL_LEMMAS or (passive and base in PASSIVE_OPEN_CONTROL_LEMMAS)):
        return f"{verb.lower_} to"
    if passive and base in IMPERSONAL_HEDGE_LEMMAS and any(c.dep_ == "ccomp" for c in verb.children) and any(
            c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children) and any(
            c.dep_ == "auxpass" and c.lower_ in ("is", "'s") for c in verb.children):
        # "It is thought that the deal will be signed": nobody stands behind the clause. Only in
        # the present: "it was hoped the talks would succeed, but ..." tells of an expectation
        # the sentence goes on to settle.
        return f"it is {verb.lower_}"
    if base == "consider" and not passive:
        # "would consider a ballot", "is considering an appeal": nothing decided yet.
        return verb.lower_
    for child in verb.children:
        if child.dep_ == "acomp" and child.lower_ in OPEN_CONTROL_ADJECTIVES and any(
            c.dep_ == "xcomp" for c in child.children
        ):
            return f"{child.lower_} to"
    return None


# Subordinators whose clause asserts as much as the main one: a contrast ("while the economy
# appeared to grow") or a result ("so many that there are thought to be 100,000").
_ASSERTING_MARKS = frozenset({"while", "whereas", "that"})


def _restrictive_relative(clause: Token) -> bool:
    """Whether a relative clause only picks out its noun ("the proposals that could see ...").

    Not an aside after a comma ("The trial, which is expected to last ..."), not a cleft or an
    existential, where the clause carries the claim ("it is the economy that will probably
    decide", "there are several models that could ..."), and only with its relative word: the
    small parser also calls a main clause a relative one ("the watchdog Ofcom could hand over").
    """
    left = clause.left_edge
    before = left.doc[left.i - 1] if left.i > 0 else None
    if before is not None and before.text in (",", "(", "—", "–", "-"):
        return False
    if not any(c.tag_ in ("WDT", "WP", "WP$") or c.lower_ == "that" for c in clause.children):
        return False
    noun = clause.head
    verb = noun.head
    return not (noun.dep_ in ("attr", "dobj") and lemma(verb) in ("be", "have")
                and any(c.dep_ in ("expl", "nsubj") and c.lower_ in ("it", "there") for c in verb.children))


def _in_framing_clause(token: Token, inside: set[tuple[int, int]]) -> bool:
    """Whether ``token`` stands in a clause that frames or picks out something in the claim.

    An adverbial clause, a prepositional gerund or a restrictive relative clause: what it says
    is not what the claim asserts.
    """
    for node in (token, *token.ancestors):
        if _key(node.head) not in inside or node.head.i == node.i:
            return False  # reached the claim's own head
        if node.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ in _ASSERTING_MARKS
                                            for c in node.children):
            return True  # "because investors may fear", "as could be hoped", "if prices should fall"
        if node.dep_ == "pcomp":
            return True  # "for allegedly breaking rules"
        if node.dep_ == "relcl":
            return _restrictive_relative(node)
    return False


def mood(tokens: list[Token], reporting_lemma: str | None = None) -> Mood:
    """Return hedge and negation of the claim whose words are ``tokens``.

    ``reporting_lemma`` is the verb that reports the claim when it stands outside its words
    (a direct quote's "hinted"): a hedging verb hedges, a stance verb never negates.
    """
    through: list[Token] = []
    verbs = main_verbs(tokens, through)
    negation = None
    for verb in verbs:
        negation = negation or _negation_of(verb)
    for verb in through:
        if negation is None and lemma(verb) in NEG_RAISING_LEMMAS and not any(
                c.dep_ == "aux" and c.lower_ in ("can", "ca", "could", "would", "'d") for c in verb.children):
            # "did not think", "does not believe"; not "never thought it possible, but ..." (a belief
            # the sentence overturns), "can't believe" (astonishment) or "would have thought".
            negation = next((c.lower_ for c in verb.children if c.dep_ == "neg" and c.lower_ != "never"),
                            None)
    # Hedges count wherever they stand in the claim's words, asides included ("The trial, which
    # is expected to last three weeks, ..."): the numbers they qualify are the claim's too. Not
    # in a clause that only picks out or frames something: a restrictive relative clause ("the
    # proposals that could see fathers take more leave") or an adverbial one ("as could be hoped", "because
    # investors may fear ...") leaves what the claim asserts as firm as it was.
    hedge = None
    inside = {_key(t) for t in tokens}
    for token in tokens:
        if _in_framing_clause(token, inside):
            continue
        if token.lower_ in EPISTEMIC and token.dep_ in ("advmod", "acomp", "amod", "ROOT"):
            hedge = token.lower_
        elif token.lower_ == "estimated" and token.dep_ == "amod":
            hedge = "an estimated"
        elif is_verb(token):
            hedge = _hedge_of(token)
        if hedge:
            break
    if hedge is None and reporting_lemma and reporting_lemma in HEDGING_REPORT_LEMMAS:
        hedge = reporting_lemma
    return Mood(hedge is not None, hedge, negation is not None, negation)


# A quoted phrase this short without a verb of its own is a label ("the so-called “green
# corridor”") unless a reporting or naming verb ties it to someone.
LABEL_MAX_WORDS = 4
# "so-called", one token or the tokenizer's three ("so", "-", "called").
_SO_CALLED = "so-called"


def is_speakers_words(quote: Span, speaker_verb: Token | None, speaker: str | None = None) -> bool:
    """Whether a quoted fragment inside reported speech is the speaker's own wording.

    A fragment stands in what the speaker said when it lies in the complement of the reporting
    verb ("warning that troops would be treated as “legitimate targets”"), is what a verb of
    naming calls something ("calling them “the first concrete step”", "what he called a “very
    good dialogue”"), or is an "as" predicate ("praised the efforts as “constructive”"). A
    fragment inside the object of a stance verb ("rejected proposals to deploy a “reassurance
    force”") or after "so-called" is a label the outlet quotes, not the person's claim; so is a
    short noun phrase with no verb of saying or naming anywhere above it ("approved the
    “green corridor” plan"), and what someone other than ``speaker`` calls a thing ("the fund,
    which critics call a “slush fund”, grew …, officials said").
    """
    head = quote.root
    before = [t.lower_ for t in quote.doc[max(0, quote.start - 5) : quote.start] if not t.is_quote]
    if "".join(before[-3:]).endswith(_SO_CALLED):
        return False
    node = head
    tied = False  # a verb of saying or naming on the way up, however the parse hung the quote on it
    for _ in range(32):
        parent = node.head
        if parent.i == node.i:
            return speaker_verb is None and (tied or not _is_label(quote))
        base = lemma(parent)
        tied = tied or (is_verb(parent) and base in REPORTING_LEMMAS | NAMING_LEMMAS | EVALUATION_LEMMAS)
        if node.dep_ in ("ccomp", "xcomp", "oprd", "parataxis") and is_verb(parent):
            if base in REPORTING_LEMMAS:
                return True
            if base in NAMING_LEMMAS:
                return _named_by(parent, speaker)
        if _as_predicate(node, parent):
            return True
        if base in NAMING_LEMMAS and node.dep_ in ("dobj", "oprd", "attr", "ccomp", "xcomp"):
            return _named_by(parent, speaker)
        if node.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") and base in STANCE_LEMMAS:
            return False
        if speaker_verb is not None and parent.i == speaker_verb.i:
            return node.dep_ not in ("dobj", "nsubj", "nsubjpass") or base in REPORTING_LEMMAS
        node = parent
    return True


def _as_predicate(node: Token, parent: Token) -> bool:
    """"praised the efforts as “constructive”": the parse may hang "as" on the verb or its object."""
    if parent.lower_ != "as" or node.dep_ not in ("pobj", "pcomp", "amod", "acomp"):
        return False
    if parent.i > 0 and parent.doc[parent.i - 1].lower_ == "such":
        return False  # "such as “X”" lists examples
    return is_verb(parent.head) or (parent.head.dep_ == "dobj" and is_verb(parent.head.head))


def _is_label(quote: Span) -> bool:
    """Whether a quoted span is a short noun phrase: a few words and no verb of its own."""
    words = [t for t in quote if not t.is_punct]
    return len(words) <= LABEL_MAX_WORDS and not any(is_verb(t) for t in words)


def _named_by(verb: Token, speaker: str | None) -> bool:
    """Whether a verb of naming is the speaker's: no subject of its own, a pronoun, or the speaker."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or speaker is None:
        return True
    subject = subjects[0]
    if subject.pos_ == "PRON" or subject.tag_ in ("PRP", "WP", "WDT"):
        return True
    words = {t.lower_ for t in subject.subtree if not t.is_punct}
    return bool(words & {w.lower() for w in speaker.split()})


# Reporting verbs that introduce a direct quote's speaker ("said resident Jo Hart").
SPEECH_LEMMAS = frozenset("say tell add explain note write reply respond comment remark continue insist "
                          "argue claim warn ask admit".split())
# Entity labels that can speak.
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class ParsedSpeaker:
    """The subject of a reporting verb as the parse reads it."""

    name: str
    description: str | None
    start: int  # character offsets of the whole subject phrase in its Doc
    end: int
    verb: str


def _entity_of(token: Token, entities: Callable[[], object] | None) -> Span | None:
    if entities is not None:
        entities()
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _proper_name(token: Token, entities: Callable[[], object] | None) -> tuple[str, int, int] | None:
    """Return the name a proper-noun head spells with its compounds, or the entity holding it.

    ``entities``, when given, sets the Doc's entities first (they are computed only when read).
    """
    ent = _entity_of(token, entities)
    if token.text in POST_NOMINALS and token.i > 0 and token.doc[token.i - 1].dep_ == "compound":
        # Letters after a name ("Brian Monteith MSP", "Michael Mansfield QC"): the parser makes
        # them the head; the person is the name before them.
        person = _entity_of(token.doc[token.i - 1], entities)
        if person is not None and person.label_ == "PERSON" and person.end == token.i:
            return person.text, person.start_char, person.end_char
    if ent is not None and ent.label_ in SPEAKER_LABELS and not ent.text.islower():
        # An entity all in lowercase is no name either: "Varland's defence ministry" is read
        # with "defence ministry" as an organisation of its own.
        return ent.text, ent.start_char, ent.end_char
    if token.tag_ not in ("NNP", "NNPS") or token.text.islower():
        # The tagger reads a common noun among capitals as a proper one ("Russia's foreign
        # ministry" tags "ministry" NNP): a word all in lowercase is no name ("eBay" is one).
        return None
    parts = [c for c in token.lefts if c.dep_ == "compound" and c.tag_ in ("NNP", "NNPS")]
    first = parts[0] if parts else token
    return token.doc[first.i : token.i + 1].text, first.idx, token.idx + len(token.text)


def quote_speaker(tokens: list[Token], entities: Callable[[], object] | None = None) -> ParsedSpeaker | None:
    """Return who a reporting verb outside quotes names as speaker in a parsed sentence.

    Reads ``"...," said Norland's foreign minister, Petra Kask`` and ``"...," said resident Jo
    Hart``: the verb's subject, or the named person in apposition to it; a pronoun or a common noun
    without a name gives None (the rules and the article's discourse resolve those).
    """
    quoted = _quoted_indices(tokens)
    for verb in tokens:
        if _key(verb) in quoted or not is_verb(verb) or lemma(verb) not in SPEECH_LEMMAS:
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and _key(c) not in quoted]
        if not subjects:
            continue
        subject = subjects[0]
        if subject.tag_ in ("PRP", "PRP$", "WP"):
            return None
        left = min(t.i for t in subject.subtree)
        right = max(t.i for t in subject.subtree)
        phrase = subject.doc[left : right + 1]
        # The subject's own name first ("Dr Priya Raman, a geriatrician"), then a named person in
        # apposition to a descriptive subject ("Norland's foreign minister, Petra Kask").
        appositions = [c for c in subject.children if c.dep_ == "appos" and c.tag_ in ("NNP", "NNPS")]
        for candidate in [subject, *appositions]:
            named = _proper_name(candidate, entities)
            if named is None:
                continue
            name, start, end = named
            after = next((t for t in phrase if t.idx >= end), None)
            if after is not None and after.text[:1].islower() and after.tag_ in ("NN", "NNS", "JJ"):
                continue  # "the Sale full-back", "the Waterford man": the name describes the speaker
            before = subject.doc.text[phrase.start_char : start].split()
            if before and before[-1] in NAME_TITLES:
                # "Sir Edward Leigh": the title belongs to the name.
                name = f"{before[-1]} {name}"
                start -= len(before[-1]) + 1
            rest = (subject.doc.text[phrase.start_char : start] + subject.doc.text[end : phrase.end_char])
            description = rest.strip(" ,") or None
            return ParsedSpeaker(name, description, phrase.start_char, phrase.end_char, verb.text)
        return None
    return None


def person_around(tokens: list[Token], start: int, end: int,
                  entities: Callable[[], object] | None = None) -> ParsedSpeaker | None:
    """Return the named person whose subject phrase holds [start, end) as a modifier, if any.

    ``JF Sullivan, spokesman for software firm Sendmail said ...``: without the comma that would
    close the apposition, the words right before the verb ("Sendmail") look like its subject; the
    parse reads "Sullivan" as the subject and "spokesman for ... Sendmail" as his apposition.
    Offsets are characters in the tokens' Doc. Only a person the recogniser names (PERSON, two
    words or more) replaces the phrase: an organisation in a modifier keeps its place.
    """
    quoted = _quoted_indices(tokens)
    for verb in tokens:
        if _key(verb) in quoted or not is_verb(verb) or lemma(verb) not in REPORTING_LEMMAS:
            continue
        for subject in (c for c in verb.children if c.dep_ == "nsubj" and _key(c) not in quoted):
            left = min(t.i for t in subject.subtree)
            right = max(t.i for t in subject.subtree)
            phrase = subject.doc[left : right + 1]
            if not (phrase.start_char <= start and end <= phrase.end_char):
                continue
            if subject.idx < end and start < subject.idx + len(subject.text):
                return None  # the phrase holds the subject's head: it is the subject
            ent = _entity_of(subject, entities)
            if ent is None or ent.label_ != "PERSON" or len(ent) < 2 or ent.end_char > start:
                return None
            text = subject.doc.text
            rest = text[phrase.start_char : ent.start_char] + text[ent.end_char : phrase.end_char]
            return ParsedSpeaker(ent.text, rest.strip(" ,") or None, phrase.start_char, phrase.end_char,
                                 verb.text)
    return None


# Verbs by which a document or figures speak ("company filings show").
SOURCE_LEMMAS = frozenset({"show", "find", "suggest", "indicate", "reveal", "say", "state", "estimate"})
_PARTS = frozenset({"third", "thirds", "half", "quarter", "quarters", "majority", "minority", "most",
                    "many", "some", "few", "none", "all", "both", "each", "proportion", "share",
                    "several"})
# Figures speak for no one: "..., figures show" is the outlet's reading of them (the gold set's
# convention; the issue counts "figures released last week" as a speaker among its errors).
_DATA_WORDS = frozenset({"figures", "statistics", "data", "numbers"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"})
# Modifiers kept in a descriptive speaker: "Participating airlines", "company filings".
_KEPT_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss"})


def _shared_subject(verb: Token, quoted: set[tuple[int, int]]) -> list[Token]:
    """The subject a reporting verb shares with the verb it is coordinated with or adjoined to.

    "Don was head of the referees and revealed all clubs were informed", "Mr Blair defended
    the party, pointing out that ...": the subject of the first verb says what the second
    reports. Not a verb of a relative or adverbial clause of its own ("when asked, he said").
    """
    if verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.tag_ == "VBG"
                               and not any(c.dep_ in ("mark", "advmod") for c in verb.children)):
        head = verb.head
        while head.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in head.children):
            head = head.head
        if any(c.dep_ == "preconj" for c in head.children) or any(c.dep_ == "neg" for c in verb.children):
            return []  # "has neither admitted nor denied wrongdoing": nothing said
        if is_verb(head) or head.pos_ == "AUX":
            return [c for c in head.children if c.dep_ == "nsubj" and _key(c) not in quoted]
    return []


def clause_speaker(tokens: list[Token], entities: Callable[[], object] | None = None) -> ParsedSpeaker | None:
    """Return the subject of a clause's reporting verb when the patterns found no speaker.

    A named subject (or a named apposition) gives the name; a common-noun subject gives its
    head with the modifiers that restrict it ("Participating airlines", "company filings", "the
    memo"), without relative clauses or participles ("figures released last week" -> "figures").
    """
    quoted = _quoted_indices(tokens)
    for verb in tokens:
        if _key(verb) in quoted or not is_verb(verb):
            continue
        base = lemma(verb)
        if verb.lower_ in ("point", "points", "pointed", "pointing") and \
                any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
            base = "note"  # "pointing out that ...": the phrasal verb reports
        if base not in REPORTING_LEMMAS and base not in SOURCE_LEMMAS and base not in STANCE_LEMMAS:
            continue
        if any(t.dep_ in ("relcl", "acl") for t in (verb, *verb.ancestors)):
            continue  # "a bill which critics claim would ...": the relative clause reports the bill
        if base not in STANCE_LEMMAS and any(c.dep_ == "neg" for c in verb.children):
            continue  # "Disney did not reveal that ...": the subject says nothing of it
        # What is reported is a finite clause ("said that ..."), or the object of a stance
        # ("rejected the offer"); "agreed to buy" is an act, not speech.
        wanted = ("ccomp", "dobj") if base in STANCE_LEMMAS else ("ccomp",)
        if not any(c.dep_ in wanted and (c.dep_ == "dobj" or _reported_clause(c, verb))
                   for c in verb.children):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and _key(c) not in quoted] \
            or _shared_subject(verb, quoted)
        if not subjects or subjects[0].tag_ in ("PRP", "PRP$", "WP", "WDT", "EX", "DT", "CD"):
            continue
        subject = subjects[0]
        spokes = subject.lower_ in SPOKES_WORDS
        share = subject.lower_ in _PARTS or any(
            (c.dep_ in ("det", "nummod", "quantmod") and c.lower_ not in _DEFINITE) or c.lower_ in _PARTS
            for c in subject.children
        )
        if subject.lower_ in _DATA_WORDS or share and not spokes:
            # "a third of those studied", "several schools": a share of a group, not a source
            # ("a spokesperson for ..." is one person who speaks for a body).
            continue
        last = max(x.i for x in subject.subtree)
        named = quote_speaker([t for t in tokens if t.i <= last or t.i == verb.i], entities)
        if named is not None and lemma(verb) in SPEECH_LEMMAS:
            return named
        appositions = [c for c in subject.children if c.dep_ == "appos" and c.tag_ in ("NNP", "NNPS")]
        for candidate in [subject, *appositions]:
            proper = _proper_name(candidate, entities)
            if proper is not None:
                name, start, end = proper
                return ParsedSpeaker(name, None, start, end, verb.text)
        kept = [c for c in subject.lefts if c.dep_ in _KEPT_MODIFIERS or c.dep_ == "det"]
        first = kept[0] if kept else subject
        last = subject.i
        if spokes:
            # "a spokesperson for the ministry of energy": whom the spokesperson speaks for.
            for_ = next((c for c in subject.rights if c.dep_ == "prep" and c.lower_ == "for"), None)
            if for_ is not None:
                last = max(t.i for t in for_.subtree)
        phrase = subject.doc[first.i : last + 1]
        return ParsedSpeaker(phrase.text, None, phrase.start_char, phrase.end_char, verb.text)
    return None


def _reported_clause(head: Token, verb: Token) -> bool:
    """Whether a clause the parse hangs under a reporting verb is one the verb can report.

    A reported clause is finite or opened by "that"/"whether"/"if" ("said that ...", "found
    the plan would fail", "urged that he be removed"); has its own subject before an infinitive
    ("expect other producers to seek rises"); or stands before the verb with its subject, as
    the words before ", said X" do (the tagger may read "happen" there as a bare form). A bare
    verb after the reporting verb reports nothing: "can find his way around obstacles as well as
    interact with people", where the parser read "his way" as the subject of "interact".
    """
    if head.tag_ in ("VBD", "VBZ", "VBP", "MD"):
        return True
    children = list(head.children)
    if any((c.dep_ == "mark" and c.lower_ in ("that", "whether", "if"))
           or (c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD"))
           for c in children):
        return True
    subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in children)
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in children)
    # A past participle with its own subject is a past tense the tagger misread ("said the deal
    # provided for ...").
    return subject and (infinitive or head.i < verb.i or head.tag_ == "VBN")


def _quoted_indices(tokens: list[Token]) -> set[tuple[int, int]]:
    inside: set[tuple[int, int]] = set()
    open_quote = False
    for token in tokens:
        if token.text in ("“", "”", '"', "‘", "’", "«", "»") and token.tag_ in ("``", "\'\'", "''"):
            open_quote = token.text in ("“", "‘", "«") or (token.text == '"' and not open_quote)
            continue
        if open_quote:
            inside.add(_key(token))
    return inside
