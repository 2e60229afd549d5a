"""Who says a claim: reporting verbs, quote attribution and "according to".

Three shapes cover most news attribution:

* a direct quote with its speaker next to it: ``“…,” he said`` / ``said Putin`` / ``Putin said: “…”``;
* reported speech: ``Putin said (that) …``, ``Putin flatly rejected …``, ``X's spokesman said …``;
* a source: ``according to X``.

The patterns here find the speaker *phrase*; :func:`resolve_speaker` turns it into a normalised
name using the article's :class:`~factstream.processors.extract.speakers.Discourse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from factstream.processors.extract.lexicon import (
    DOCUMENT_WORDS,
    GROUP_WORDS,
    NEWSPAPER_HEADS,
    NOT_NAME_WORDS,
    ORG_DESCRIPTORS,
    ORG_WORDS,
    POST_NOMINALS,
    SOURCELESS_HEADS,
    SPOKES_WORDS,
    WEEKDAYS,
)
from factstream.processors.extract.speakers import (
    ACRONYM,
    AFFILIATED_RE,
    AFFILIATED_ROLE,
    APOS,
    HONORIFIC,
    NAME,
    NAME_TOKEN,
    PERSON_RE,
    PRONOUN_WORDS,
    ROLE,
    ROLE_MOD,
    TITLE,
    TITLE_HEADS,
    UP,
    Discourse,
    clean_phrase,
    describes_person,
    document_head,
    is_office,
    is_org_like,
    office_phrase,
    resolve_descriptor,
    titled_name,
)

# Verbs that report what someone said; the plain "say" family can also come before the speaker.
SAY_VERBS: tuple[str, ...] = (
    "said", "says", "told", "tells", "added", "adds", "stated", "states", "explained", "explains", "noted",
    "notes", "wrote", "writes", "tweeted", "posted", "replied", "responded", "commented", "remarked",
    "continued", "announced", "announces", "confirmed", "confirms", "insisted", "insists", "argued",
    "argues", "claimed", "claims", "maintained", "maintains", "stressed", "stresses", "emphasised",
    "emphasized", "emphasises", "emphasizes", "declared", "declares", "asserted", "revealed", "reveals",
    "disclosed", "reported", "estimated", "estimates", "promised", "promises", "pledged",
    "pledges", "vowed", "vows", "warned", "warns", "threatened", "urged", "urges", "admitted", "admits",
    "acknowledged", "conceded", "agreed", "recalled", "observed", "pointed out", "asked",
    "told reporters", "said in a statement", "cautioned", "cautions", "countered", "counters",
    "retorted", "quipped", "joked",
    # Present forms of the verbs above whose only sense is saying, as interviews and books use them:
    # "Lennon concedes". Not "agrees" ("if the council agrees on the draft"), "replies" ("Orquera
    # did reply with a try"), "quips" or "remarks" (nouns) or "observes" (a rite): a read of the
    # BBC claims they changed found as many wrong speakers as right ones.
    "concedes", "acknowledges", "asserts", "retorts", "confessed", "confesses",
    # What was said in court is the court's record: "a court has heard", "the inquiry heard".
    "heard",
)
# Reporting verbs that already hedge the claim ("hinted that ...").
HEDGE_VERBS: tuple[str, ...] = (
    "hinted", "hints", "suggested", "suggests", "speculated", "signalled", "signaled",
               "indicated", "indicates", "predicted", "predicts",
               # Verbs of belief report an opinion, not a fact: "Officers believe ...". Their
               # "-ed" forms are left out: "is believed to" has no speaker.
               "believe", "believes", "expect", "expects", "think", "thinks", "suspect", "suspects",
               "fear", "fears")
# Reporting verbs that deny or reject what follows.
DENY_VERBS: tuple[str, ...] = (
    "denied", "denies", "rejected", "rejects", "dismissed", "dismisses", "refuted", "disputed",
              "disputes", "ruled out", "rules out", "refused", "refuses")
# Evaluative verbs: the subject takes a stance ("praised X as ...").
STANCE_VERBS: tuple[str, ...] = (
    "praised", "praises", "welcomed", "welcomes", "condemned", "condemns", "criticised",
                "criticized", "criticises", "criticizes", "accused", "accuses", "blamed", "blames", "hailed",
                "hails", "branded", "labelled", "labeled", "called", "calls", "described", "describes")


def _plural_present(verbs: tuple[str, ...]) -> tuple[str, ...]:
    """The verbs with, beside each third-person "-s" form, the plural one: "warns" -> "warn".

    "Economists warn that ...", "Ministers deny ...": a plural subject takes the bare form, which
    the lists above name only for a few verbs. Derived, so no verb has one form without the other.
    """
    listed = set(verbs)
    extra = []
    for verb in verbs:
        head, _, rest = verb.partition(" ")
        if not head.endswith("s") or head.endswith("ss") or len(head) < 4:
            continue
        if head.endswith("ies"):
            base = head[:-3] + "y"
        elif head.endswith(("sses", "shes", "ches", "xes", "sses")):
            base = head[:-2]
        else:
            base = head[:-1]
        plural = f"{base} {rest}" if rest else base
        if plural not in listed:
            listed.add(plural)
            extra.append(plural)
    return verbs + tuple(extra)


_SINGULAR_LISTS = (SAY_VERBS, HEDGE_VERBS, DENY_VERBS, STANCE_VERBS)
SAY_VERBS = _plural_present(SAY_VERBS)
HEDGE_VERBS = _plural_present(HEDGE_VERBS)
DENY_VERBS = _plural_present(DENY_VERBS)
STANCE_VERBS = _plural_present(STANCE_VERBS)
#: The derived plural forms. Many are nouns too ("a police state", "the claim"), and a plural
#: subject often reports inside a relative clause ("a bill which critics claim would ..."): the
#: extractor takes one as reporting only where the parse reads it as the clause's verb.
PLURAL_FORMS = frozenset((*SAY_VERBS, *HEDGE_VERBS, *DENY_VERBS, *STANCE_VERBS)) - frozenset(
    v for verbs in _SINGULAR_LISTS for v in verbs)
REPORTING_VERBS = SAY_VERBS + HEDGE_VERBS + DENY_VERBS + STANCE_VERBS
# The verbs that may follow the quote and precede the speaker: "…,” said Putin.
_INVERTED_VERBS = ("said", "says", "added", "adds", "told", "explained", "warned", "insisted", "argued",
                   "continued", "noted", "wrote", "asked", "replied", "admitted", "claimed", "predicted",
                   "recalled", "recalls", "observed", "stressed", "conceded", "remarked", "commented",
                   "declared", "acknowledged", "countered", "retorted", "quipped", "joked", "explains",
                   # The present, as features and columns write it: "…, observes Ms Alexander."
                   # Not the forms that are nouns as often ("claims", "remarks", "notes", "asks"):
                   # 'the "ill-judged" remarks Mr Jones made' is no attribution.
                   "warns", "insists", "argues", "continues", "writes", "admits", "predicts",
                   "observes", "stresses", "concedes", "declares", "acknowledges", "retorts")

# A participle opening a clause takes the previous clause's speaker: ", warning that …".
PARTICIPLES = {
    "saying": "said", "adding": "added", "warning": "warned", "stressing": "stressed", "noting": "noted",
    "insisting": "insisted", "arguing": "argued", "claiming": "claimed", "calling": "called",
    "describing": "described", "praising": "praised", "condemning": "condemned", "accusing": "accused",
    "urging": "urged", "suggesting": "suggested", "hinting": "hinted", "denying": "denied",
    "rejecting": "rejected", "dismissing": "dismissed", "telling": "told", "explaining": "explained",
    "emphasising": "emphasised", "emphasizing": "emphasized", "acknowledging": "acknowledged",
    "admitting": "admitted", "promising": "promised", "pledging": "pledged", "vowing": "vowed",
    "threatening": "threatened", "welcoming": "welcomed", "criticising": "criticised",
    "criticizing": "criticized", "blaming": "blamed", "predicting": "predicted", "revealing": "revealed",
    "announcing": "announced", "confirming": "confirmed", "describing it as": "described it as",
    "pointing out": "pointed out", "conceding": "conceded", "recalling": "recalled",
}


def _alt(words: tuple[str, ...] | frozenset[str] | dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


VERBS = _alt(REPORTING_VERBS)
_CAPSEQ = rf"(?:{ACRONYM}|{NAME_TOKEN})(?:\s+(?:(?:of|for|the|de|&)\s+)*(?:{ACRONYM}|{NAME_TOKEN})){{0,5}}"
_SPOKES = r"spokes(?:man|woman|person)"
# Groups open sentences too: "Officers believe ...".
_GROUPS = _alt(tuple(GROUP_WORDS) + tuple(w[0].upper() + w[1:] for w in GROUP_WORDS))
_POSSESSIVE = r"(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ur)"
_GROUP_AT_RE = re.compile(rf"^(?:(?:the|{_POSSESSIVE})\s+)?(?:{_GROUPS})\s+(?:at|from)\s+")
_DETERMINER = rf"(?:[Tt]he|[Aa]n?|[Aa]nother|{_POSSESSIVE})"
# Every shape a speaker phrase takes, most specific first.
NP = (
    rf"(?:{HONORIFIC}\s+{NAME}"
    rf"|(?:[Tt]he\s+)?{ROLE}\s+(?:{HONORIFIC}\s+)?{NAME}"
    # "Green Party general secretary Tom Reyes": a body's name and an office too long for ROLE.
    rf"|(?:[Tt]he\s+)?{AFFILIATED_ROLE}\s+(?:{HONORIFIC}\s+)?{NAME}"
    # "a spokesman for the Conservative party": a name and the kind of body it names.
    rf"|(?:(?:[Tt]he|[Aa]n?)\s+)?{ROLE_MOD}{{0,3}}{_SPOKES}(?:\s+for\s+(?:the\s+)?(?:{_CAPSEQ}(?:\s+(?:{_alt(ORG_DESCRIPTORS)})(?![\w-]))?|[a-z]+))?"
    rf"|(?:[Tt]he\s+)?{_CAPSEQ}[{APOS}]s?\s+(?:(?:official|chief|press|senior)\s+)?(?:{_SPOKES}|{TITLE}|office)"
    # "the prime minister's official spokesman": an office's voice, as a name's above.
    rf"|[Tt]he\s+(?:[a-z]+\s+){{0,2}}{TITLE}[{APOS}]s?\s+(?:(?:official|chief|press|senior)\s+)?(?:{_SPOKES}|office)"
    rf"|{_DETERMINER}\s+(?:(?!(?:and|but|or|nor|that|which|who)\s)[a-z]+(?:[{APOS}]s?)?\s+){{0,2}}"
    # "office" only after a possessive: "her office", "the prime minister's office".
    rf"(?:{TITLE}|{_alt(ORG_DESCRIPTORS | DOCUMENT_WORDS)}|(?<=[{APOS}sr]\s)office)"
    rf"(?![\w-])"
    # "said a proud coach Mike Rowe": the name after a lowercase title is the speaker's.
    rf"(?:(?<=[a-z])\s+{NAME}(?![\w{APOS}-]))?"
    # "the researchers", "their lawyers", "Senior officials": a group speaks for itself.
    rf"|(?:(?:{_POSSESSIVE}|the)\s+)?(?:(?:[{UP}][\w.{APOS}]*|senior|local|government|military|health|industry|company|"
    rf"union|club|security|police|western|foreign|most|many|some|several|other|independent|leading)\s+){{0,2}}"
    rf"(?:{_GROUPS})(?:\s+(?:at|from)\s+(?:the\s+)?{_CAPSEQ})?"
    rf"|(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|[Ii]t)"
    # "The Sunday Times": after "the", a weekday opens a newspaper's title, not a date.
    rf"|[Tt]he\s+(?:{_alt(WEEKDAYS)})\s+(?:{_CAPSEQ}\s+)?(?:{_alt(NEWSPAPER_HEADS)})(?![\w-])"
    rf"|(?:[Tt]he\s+)?{_CAPSEQ}"
    rf")"
)
_APPOSITIVE = rf"\s*,\s+(?P<appos>(?!and\b|but\b|while\b|who\s+(?:{VERBS}))[^,“”\"~]{{2,80}}),"
FILLER = (
    rf"(?:\s*,\s*(?:however|meanwhile|though|too|also|in turn|in response|for (?:his|her|their|its) part)\s*,"
    rf"|{_APPOSITIVE}"
    # "the Office for National Statistics (ONS) said": the short form named beside the name.
    rf"|\s+\({ACRONYM}\)"
    rf"|\s+(?:on|last|this|earlier|late|early)\s+(?:on\s+)?\w+"
    rf"|\s+(?:has|have|had|was|were|is|are|also|then|later|again|previously|repeatedly|already|once|"
    rf"would|will|did|does|do|not|never|\w+ly)(?![\w-]))*"
)
SUBJECT_VERB_RE = re.compile(rf"(?<![\w{APOS}-])(?P<np>{NP}){FILLER}\s+(?P<verb>{VERBS})(?![\w-])")
_INVERTED = (
    rf"(?P<verb>{_alt(_INVERTED_VERBS)})\s+(?P<np>{NP})(?![\w-])"
    # The phrase is the whole run of capitalised words, never its first part: in "said the Old
    # Trafford boss" "the Old" is no speaker (the name describes the boss, as below), nor is the
    # owner of a possessive before a name: in "says Total Film's Jamie Graham" Jamie Graham speaks.
    rf"(?!(?:[{APOS}]s?)?\s+{NAME_TOKEN})"
    # "said the Sale full-back.", "said the Chelsea star,": a name before the noun that ends the
    # phrase describes the speaker (a club, a town); it is not who speaks.
    rf"(?!\s+(?!(?:yesterday|today|tonight|later|earlier|afterwards|then|now|too|also|again|instead|"
    rf"himself|herself|themselves|itself)\b)[a-z][\w-]*(?<!ly)\s*(?:[,.;:!?]|$))"
    # An office's complement before the name in apposition: "said the chairman of the harbour
    # board, Ann Vale" (the name is the speaker; the complement is no part of the office's name).
    rf"(?:\s+(?:of|for|at)\s+(?:the\s+)?[A-Za-z{APOS}&-]+(?:\s+[A-Za-z{APOS}&-]+){{0,5}}(?=\s*,))?"
    rf"(?:\s*,\s*(?P<appos>[^,“”\"~]{{2,80}}?)\s*(?=,|\.|$))?"
)
INVERTED_RE = re.compile(rf"(?:^|[,:]\s*|\s)(?:{_INVERTED})\s*[.,]?\s*$")
# "a report by X", "a study published in X": the document speaks for X.
_DOCUMENT_SOURCE = (
    rf"(?:[Tt]he|[Aa]n?)\s+(?:[a-z-]+\s+){{0,2}}(?P<doc>{_alt(DOCUMENT_WORDS)})\s+"
    rf"(?:(?:published|carried\s+out|commissioned|issued|released|produced)\s+)?(?:by|from|in|for)\s+"
    rf"(?P<source>(?:the\s+)?{_CAPSEQ})"
)
_DOCUMENT_SOURCE_RE = re.compile(_DOCUMENT_SOURCE)
# "Her evidence was disputed by Northfield Care Group": the agent of a passive stance verb speaks.
PASSIVE_RE = re.compile(
    rf"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    rf"(?P<verb>{_alt(DENY_VERBS + STANCE_VERBS)})\s+by\s+(?P<np>{NP})(?=\s*[,.;]|\s*$)"
)
ACCORDING_RE = re.compile(rf"\b[Aa]ccording\s+to\s+(?P<np>{_DOCUMENT_SOURCE}|{NP}|[^,.;“”\"~]{{3,60}})")
# The same shape with its own group names, for the alternation below.
_INVERTED_2 = _INVERTED
for _group in ("verb", "np", "appos"):
    _INVERTED_2 = _INVERTED_2.replace(f"(?P<{_group}>", f"(?P<{_group}2>")
# Right after a closing quote mark: ``, he said`` / ``, said Putin`` / ``, according to X``.
AFTER_QUOTE_RE = re.compile(
    rf"\A[\s,]*(?:[—–-]\s*)?(?:(?P<np>{NP}){FILLER}\s+(?P<verb>{VERBS})(?![\w-])"
    rf"|{_INVERTED_2}"
    rf"|according\s+to\s+(?P<np3>{NP}))"
)
# Right before an opening quote mark: ``Putin said: “`` / ``he told reporters, “``.
BEFORE_QUOTE_RE = re.compile(
    rf"(?:(?P<np>{NP}){FILLER}\s+(?P<verb>{VERBS})(?:\s*[:,]|\s+[^:“”\"~.]{{1,60}}?[:,])?"
    # "He went on: “…": only before a quote, where it cannot be "went on to win".
    rf"|(?P<np2>{NP}){FILLER.replace('(?P<appos>', '(?:')}\s+(?P<verb2>went\s+on)\s*:"
    rf"|[Aa]ccording\s+to\s+(?P<np3>{NP})\s*,)\s*\Z"
)
# The voice of a principal: "her spokesman", "his office", "the prime minister's office",
# "Ms Holt's official spokeswoman". An organisation's own office ("the Foreign Office") is a name.
_VOICE_OF_RE = re.compile(
    r"(?P<owner>[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|(?:[Tt]he\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?[’']s?)"
    r"\s+(?:(?:official|chief|press|senior)\s+)?(?P<voice>[Ss]pokes(?:man|woman|person)|office)"
)
_POSSESSIVE_END_RE = re.compile(r"[’']s?$")
_GROUP_SET = frozenset(GROUP_WORDS)
_DETERMINER_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})
# Words that end a description: a joined clause or a preposition is no part of it.
_NOT_DESCRIPTION = ("the", "a", "an", "and", "or", "but", "that", "which", "who", "said", "says", "to", "of",
                    "by", "from", "in", "at", "on", "for", "with", "as")
_DESCRIPTION_WORD = rf"(?!(?:{_alt(_NOT_DESCRIPTION)})\s)[a-z][\w{APOS}-]*"
# "tourism minister Sontaya Kunplome", "security firm Clearswift", "a proud coach Mike Rowe", "local
# newspaper the Daily Telegraph": a lowercase description in close apposition before a name. The
# name is who speaks; the description is the role.
_DESCRIBED_NAME_RE = re.compile(
    rf"(?:(?:[Tt]he|[Aa]n?|{_POSSESSIVE})\s+)?(?P<desc>(?:{_DESCRIPTION_WORD}\s+){{0,3}}{_DESCRIPTION_WORD})"
    rf"\s+(?P<name>(?:the\s+)?{_CAPSEQ})"
)
# "figures from the Ministry of Economy", "research carried out by security firm Saint Bernard
# Software", "numbers released by Japan's Finance Ministry": data speak for whoever produced them.
_PRODUCED_BY_RE = re.compile(
    rf"\b(?:by|from)\s+(?=(?:(?:the|an?)\s+)?(?:{_DESCRIPTION_WORD}\s+){{0,3}}(?:the\s+)?[{UP}])"
)
_DETERMINER_RE = re.compile(rf"^(?:[Tt]he|[Aa]n?|{_POSSESSIVE})\s+")
# Who produced the figures: "Japan's Finance Ministry", "the Electoral Commission".
_PRODUCER_RE = re.compile(rf"(?:the\s+)?{_CAPSEQ}(?:[{APOS}]s\s+{_CAPSEQ})?")
# What may follow the source's name in its phrase: when it spoke ("on Wednesday"), nothing else.
_TIME_TAIL_RE = re.compile(
    rf"(?:\s+(?:(?:on\s+)?(?:{_alt(WEEKDAYS)})|(?:last|this|next)\s+(?:week|month|year)|earlier|yesterday|today))?\s*"
)
_SUBORDINATOR_RE = re.compile(r"\b(?:after|before|when|as|since|because|while|until|once)\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Attribution:
    """A speaker found for a quote or a clause, with where its phrase sits in the body."""

    speaker: str | None
    role: str | None
    verb: str | None
    np_start: int
    np_end: int
    np_text: str


Antecedent = Callable[[int], str | None]


_POST_NOMINAL_RE = re.compile(rf"\s+(?:{_alt(POST_NOMINALS)})$")


def _without_post_nominal(phrase: str) -> str:
    """"Colin Farrow MSP" -> "Colin Farrow": the letters after a full name are no part of it."""
    stripped = _POST_NOMINAL_RE.sub("", phrase)
    if stripped != phrase:
        person = PERSON_RE.fullmatch(stripped)
        if person is not None and " " in person.group("name"):
            return stripped
    return phrase


def resolve_speaker(
    discourse: Discourse, np_text: str, appos: str | None, antecedent: Antecedent, position: int
) -> tuple[str | None, str | None]:
    """Normalise a speaker phrase to (speaker, role) within the article."""
    phrase = np_text.strip(" ,")
    lower = phrase.lower()
    if lower in PRONOUN_WORDS:
        if lower in ("he", "she"):
            name = antecedent(position)
            return name, discourse.role_of(name) if name else None
        if lower == "it":
            return discourse.last_org, None
        return None, None
    document = _DOCUMENT_SOURCE_RE.fullmatch(phrase)
    if document:
        source = discourse.register_org(clean_phrase(document.group("source"))).name
        discourse.documents[document.group("doc").lower()] = source
        return source, None
    role_from_appos = None
    # "the chancellor Gordon Brown", "his Newcastle boss Rob Andrew": the determiner opens the role.
    person = PERSON_RE.fullmatch(phrase) or PERSON_RE.fullmatch(_DETERMINER_RE.sub("", phrase))
    # "Green Party general secretary Tom Reyes": the person, with the body and office as the role.
    person = person or AFFILIATED_RE.fullmatch(phrase) or \
        AFFILIATED_RE.fullmatch(_DETERMINER_RE.sub("", phrase))
    if appos:
        appos_clean = clean_phrase(appos)
        if _is_role(appos_clean):
            role_from_appos = appos_clean
        # In apposition to a description ("The finance spokesman, Colin Farrow MSP, said") the
        # letters after a full name are no part of it; the role keeps the appositive as written.
        named = PERSON_RE.fullmatch(appos_clean) or PERSON_RE.fullmatch(_without_post_nominal(appos_clean))
        if (person is None or is_org_like(clean_phrase(phrase))) and named and \
                (named.group("hon") or " " in named.group("name")) and not is_org_like(appos_clean):
            # "Its director, Kemi Adeyemi, said": the appositive names who the description is;
            # "the co-chairman of the Conservative Party, Liam Fox, called": who speaks for it.
            entry = discourse.register(discourse.canonical(titled_name(named)), clean_phrase(phrase))
            return entry.name, entry.role
    if _GROUP_AT_RE.match(phrase):
        # "Analysts at Brightline Research" speak for themselves, not the firm.
        return clean_phrase(phrase), None
    voice = _VOICE_OF_RE.fullmatch(phrase)
    principal = _voice_of(discourse, voice, antecedent, position) if voice is not None else None
    if principal is not None:
        return principal
    words = lower.split()
    if SPOKES_WORDS.intersection(w.strip(APOS + "s") for w in words) or SPOKES_WORDS.intersection(words):
        if person is None or not person.group("name"):
            return resolve_descriptor(discourse, phrase)
    if words[0] == "the" and len(words) == 2 and phrase.split()[1] in ORG_WORDS:
        short_for = discourse.org_named_before(phrase.split()[1], position)
        if short_for is not None:
            return short_for, None  # "The Bank said" after "the Bank of England"
    if words[0] == "the" and describes_person(phrase) and discourse.by_role(phrase) is None:
        # "the defender told ...", "the 25-year-old said": the person named before, as "he" would
        # be, when the article has shown that name to be a person's.
        name = antecedent(position)
        if name is not None and discourse.shown_person(name):
            return name, discourse.role_of(name)
        return None, None
    if phrase[:1].islower() and phrase.split()[-1] in SOURCELESS_HEADS:
        return None, None  # "according to official figures", "a new book", "studio estimates"
    if words[0] in _DETERMINER_WORDS and phrase.split()[-1][0].islower():
        return resolve_descriptor(discourse, phrase)
    if len(words) == 1 and document_head(lower):
        return resolve_descriptor(discourse, phrase)  # "according to reports": see there
    office = office_phrase(phrase)
    if office is not None:
        return resolve_descriptor(discourse, office)
    if words[-1] in GROUP_WORDS or lower in GROUP_WORDS:
        return resolve_descriptor(discourse, phrase)
    if person is not None:
        role = clean_phrase(person.group("role")) if person.group("role") else role_from_appos
        name = titled_name(person)
        honorific = person.groupdict().get("hon") or person.group("hon2")
        if honorific or len(name.split()) == 1:
            canonical = discourse.canonical(name, honorific)
            entry = discourse.register(canonical, role, honorific=honorific)
            return entry.name, entry.role
        entry = discourse.register(name, role)
        return entry.name, entry.role
    described = _described_source(discourse, phrase)
    if described is not None:
        return described
    if len(words) > 3 and _DETERMINER_RE.sub("", phrase)[:1].islower():
        # "figures released at the end of 2004", "all those players and even Federer himself":
        # a description that names no one is no speaker (the text keeps the phrase).
        return None, None
    name = clean_phrase(phrase)
    entry = discourse.register(name, role_from_appos, org=is_org_like(name) or None)
    return entry.name, entry.role


def _described_source(discourse: Discourse, phrase: str) -> tuple[str, str | None] | None:
    """The name inside a described source phrase, as speaker, with its description as role.

    "tourism minister Sontaya Kunplome" is Sontaya Kunplome, role "tourism minister"; "security
    firm Clearswift" the firm Clearswift; "research from technology analysts Gartner" and
    "figures released by the Electoral Commission on Wednesday" are Gartner's and the Electoral
    Commission's. None for a phrase that opens with a name, or where no name follows a
    description (or "by"/"from") closely.
    """
    if not _DETERMINER_RE.sub("", phrase)[:1].islower():
        return None  # "The rapper's lawyer Ron Rakosky" is described; "Acme Holdings" is a name
    # The last "by"/"from" with a name after it: "compiled by X for Y" is X's.
    producers = list(_PRODUCED_BY_RE.finditer(phrase))
    produced = producers[-1] if producers else None
    tail = phrase[produced.end():] if produced else phrase
    described = _DESCRIBED_NAME_RE.match(tail)
    bare = _PRODUCER_RE.match(tail) if produced is not None else None
    if described is not None and _TIME_TAIL_RE.fullmatch(tail, described.end()):
        name, description = clean_phrase(described.group("name")), described.group("desc")
    elif bare is not None and _TIME_TAIL_RE.fullmatch(tail, bare.end()):
        name, description = clean_phrase(bare.group(0)), None
    else:
        return None  # the name runs on ("the UK gaming industry's trade body"), or the phrase does
    if not name or name.split()[0] in NOT_NAME_WORDS:
        return None
    head = description.split()[-1].lower() if description else ""
    person = PERSON_RE.fullmatch(name)
    titled = person is not None and bool(person.group("hon") or person.group("hon2") or person.group("role"))
    if person is not None and not is_org_like(name) and (head in TITLE_HEADS or titled):
        # "tourism minister Sontaya Kunplome", "figures from Professor John Curtice": a person.
        entry = discourse.register(discourse.canonical(titled_name(person)), description)
        return entry.name, entry.role
    org = discourse.register_org(name, head if head in ORG_DESCRIPTORS else None)
    return org.name, None


def _voice_of(
    discourse: Discourse, voice: re.Match[str], antecedent: Antecedent, position: int
) -> tuple[str, str] | None:
    """Resolve "her spokesman", "his office", "the prime minister's office" to the principal.

    A spokesperson or an office speaks for the person or body that owns it: the claim is the
    principal's, with the voice as the role ("spokesman", "office"), as "a spokesman for Ms Holt"
    is. "his"/"her" point back as "he"/"she" do (the pronoun opens the phrase, so its gender is
    read there); "its"/"their" to the organisation last named; a name or an office in the
    possessive is resolved as it would be as the speaker. None when that names no one, or only a
    description ("the network's spokesman Scott Grogin" is read as before).
    """
    owner = voice.group("owner")
    role = voice.group("voice").lower()
    if owner.lower() in ("his", "her"):
        name = antecedent(position)
        if name is not None and not discourse.shown_person(name):
            return None
    elif owner.lower() in ("its", "their"):
        name = discourse.last_org
    else:
        name, _ = resolve_speaker(discourse, _POSSESSIVE_END_RE.sub("", owner), None, antecedent, position)
    if not name or not (name[0].isupper() or is_office(name)):
        return None
    if role != "office" and is_office(name):
        # "the prime minister's spokesman": a later "the spokesman" is this one (a person's or an
        # organisation's spokesperson is noted where the name is registered with the role).
        discourse.last_spokes = name
    return name, role


def _is_role(text: str) -> bool:
    return bool(re.search(rf"\b{TITLE}\b", text)) and len(text.split()) <= 10


def verb_kind(verb: str | None) -> str:
    """Classify a reporting verb: 'say', 'hedge', 'deny' or 'stance'."""
    if not verb:
        return "say"
    verb = verb.lower()
    if verb in HEDGE_VERBS:
        return "hedge"
    if verb in DENY_VERBS:
        return "deny"
    if verb in STANCE_VERBS:
        return "stance"
    return "say"


def _make(
    match: re.Match[str], offset: int, group: str, verb: str | None, appos: str | None,
    discourse: Discourse, antecedent: Antecedent,
) -> Attribution:
    start, end = match.start(group) + offset, match.end(group) + offset
    np_text = match.group(group)
    speaker, role = resolve_speaker(discourse, np_text, appos, antecedent, start)
    return Attribution(speaker, role, verb, start, end, np_text)


def after_quote(
    outside: str, close_at: int, limit: int, discourse: Discourse, antecedent: Antecedent
) -> Attribution | None:
    """Attribution right after a closing quote mark at ``close_at``, if any."""
    window = outside[close_at + 1 : min(limit, close_at + 200)]
    match = AFTER_QUOTE_RE.match(window)
    if not match:
        return None
    offset = close_at + 1
    if match.group("np"):
        appos = match.groupdict().get("appos")
        return _make(match, offset, "np", match.group("verb"), appos, discourse, antecedent)
    if match.group("np2"):
        return _make(match, offset, "np2", match.group("verb2"), match.group("appos2"), discourse, antecedent)
    return _make(match, offset, "np3", "according to", None, discourse, antecedent)


def before_quote(
    outside: str, open_at: int, floor: int, discourse: Discourse, antecedent: Antecedent
) -> Attribution | None:
    """Attribution right before an opening quote mark at ``open_at`` (``X said: “``), if any."""
    start = max(floor, open_at - 200)
    match = BEFORE_QUOTE_RE.search(outside, start, open_at)
    if not match:
        return None
    if match.group("np"):
        appos = match.groupdict().get("appos")
        return _make(match, 0, "np", match.group("verb"), appos, discourse, antecedent)
    if match.group("np2"):
        return _make(match, 0, "np2", "continued", None, discourse, antecedent)
    return _make(match, 0, "np3", "according to", None, discourse, antecedent)


def reported(
    outside: str, start: int, end: int, discourse: Discourse, antecedent: Antecedent, *, initial_ok: bool
) -> Attribution | None:
    """Find the speaker of reported speech in ``outside[start:end]``.

    The shapes are "X said …", "X's claim was disputed by Y", "…, said X" and "according to X".
    """
    for match in SUBJECT_VERB_RE.finditer(outside, start, end):
        np_text = match.group("np")
        verb = match.group("verb")
        if verb.lower() == "agreed" and outside.startswith(" to ", match.end()):
            continue  # "agreed to buy": an act, not speech
        lone = " " not in np_text.strip() and np_text.strip().lower() not in PRONOUN_WORDS | _GROUP_SET
        at_start = not outside[start : match.start("np")].strip(" \"“‘'(")
        if lone and at_start and not initial_ok and verb_kind(verb) != "say":
            known = discourse.canonical(np_text.strip()) in discourse.people
            if not known:
                continue  # "Voters rejected ...": a capitalised common noun, not a named speaker
        return _make(match, 0, "np", verb, match.groupdict().get("appos"), discourse, antecedent)
    passive = PASSIVE_RE.search(outside, start, end)
    if passive:
        return _make(passive, 0, "np", passive.group("verb"), None, discourse, antecedent)
    inverted = INVERTED_RE.search(outside, start, end)
    if inverted:
        appos = inverted.group("appos")
        return _make(inverted, 0, "np", inverted.group("verb"), appos, discourse, antecedent)
    according = ACCORDING_RE.search(outside, start, end)
    if according:
        return _make(according, 0, "np", "according to", None, discourse, antecedent)
    return None


def starts_after_subordinator(outside: str, clause_start: int, np_start: int) -> bool:
    """Whether the speaker phrase opens a subordinate clause ("… a day after Macron announced")."""
    return np_start > clause_start and _SUBORDINATOR_RE.search(outside, clause_start, np_start) is not None
