"""The rule-based claim extractor: the modules of this package put together, one article at a time.

Reading order: mask markup, check the language, split paragraphs and sentences, find quotes
on the whole body, then walk the sentences in order, keeping a :class:`Discourse` of who was
named so that pronouns and surnames resolve. Each sentence yields zero or more *units*
(a direct quote, a clause of reported speech, or the outlet's own statement) and each unit
one :class:`~factstream.schemas.records.Claim`.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from factstream.processors.extract import checkworthiness, dates, grammar, interleave, numbers, parsing
from factstream.processors.extract.attribution import (
    DENY_VERBS,
    HEDGE_VERBS,
    PARTICIPLES,
    PLURAL_FORMS,
    REPORTING_VERBS,
    SAY_VERBS,
    STANCE_VERBS,
    Attribution,
    after_quote,
    before_quote,
    reported,
    starts_after_subordinator,
)
from factstream.processors.extract.entities import find_entities
from factstream.processors.extract.language import detect_language
from factstream.processors.extract.lexicon import (
    BUSINESS_DESCRIPTORS,
    DEMONYMS,
    DOCUMENT_WORDS,
    GROUP_WORDS,
    HONORIFICS,
    NAME_TITLES,
    ORG_DESCRIPTORS,
    ORG_WORDS,
    SPOKES_WORDS,
)
from factstream.processors.extract.markup import mask_markup
from factstream.processors.extract.quotes import Quote
from factstream.processors.extract.quotes import find_quotes as _find_quotes
from factstream.processors.extract.segmentation import Sentence, paragraphs, sentences
from factstream.processors.extract.speakers import (
    APOS,
    CLASSIFIED_ORG_RE,
    PERSON_RE,
    PRONOUN_WORDS,
    ROLE_MOD,
    TITLE,
    TITLE_HEADS,
    Discourse,
    clean_phrase,
    is_office,
    names_principal,
    person_mentions,
    resolve_descriptor,
    spoken_through,
    titled_name,
)
from factstream.schemas.records import Article, Claim, Extractor

if TYPE_CHECKING:
    from spacy.tokens import Token

log = logging.getLogger(__name__)

EXTRACTOR_NAME = "factstream-rules"
# Bumped whenever the rules change what they extract, so stored claims can be re-extracted.
EXTRACTOR_VERSION = "0.7.12"

# Guard against hostile or broken input: no real article has this many claim sentences.
MAX_CLAIMS_PER_ARTICLE = 1000
# A quote with fewer words is a scare quote or a one-word reply, not a claim of its own.
MIN_QUOTE_WORDS = 2
# Reporting sentences shorter than this are captions, datelines or fragments.
MIN_CLAIM_WORDS = 4
# Articles read side by side (one thread each, see interleave.py): the sentences they parse on
# the way are batched; beyond a few dozen, batches no longer get cheaper per sentence.
WALKS_PER_BATCH = 64
# An unattributed full quote inherits the last speaker only this many paragraphs later.
MAX_INHERIT_PARAGRAPHS = 2

_MASK_CHAR = "~"
_QUOTE_CHARS = "“”„«»\"‘’"
_BOILERPLATE_RE = re.compile(
    r"^(?:Read more|Related|Advertisement|Image (?:copyright|caption|source)|Getty Images|Photo|Picture|"
    r"Follow us|Follow\b|Sign up|Share this|Click here|Subscribe|Listen|Watch|All rights reserved|"
    r"Copyright|Reporting by|Editing by|Additional reporting|By [A-Z][\w.]+(?: [A-Z][\w.-]+){0,3}$)",
)
_VERBISH_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|can|could|may|might|must|shall|should|"
    r"do|does|did|says|said|\w{3,}(?:ed|es)|"
    # Irregular past tenses common in news, which the -ed rule misses.
    r"rose|fell|grew|won|lost|cut|hit|made|took|gave|paid|sold|left|met|ran|came|went|became|began|beat|"
    r"bought|built|kept|led|held|set|spent|saw|told|got|put|struck|shot|fought|drew|broke|chose|flew|"
    r"knew|thought|brought|caught|sought|stood|wrote|spoke|sank|shut|split|quit)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK_RE = re.compile(
    rf",[”\"’]?\s+(?:while\s+|whereas\s+)?(?=(?:{'|'.join(PARTICIPLES)})\b)"
    r"|;\s+"
    rf"|,?\s+but\s+(?=(?:also\s+)?(?:{'|'.join(v for v in REPORTING_VERBS if ' ' not in v)})\b)"
)
_LEADING_PARTICIPLE_RE = re.compile(
    rf"^(?:,\s*)?(?:(?:while|whereas|but|and)\s+)?(?:also\s+)?(?P<part>{'|'.join(PARTICIPLES)})\b"
)
_LEADING_CONJ_RE = re.compile(
    rf"^(?:,\s*)?(?:but|and|while|whereas)\s+(?:also\s+)?(?=(?:{'|'.join(REPORTING_VERBS)})\b)"
)
_LEADING_FILLER_RE = re.compile(r"^(?:But|And|So|Yet|Still|However|Meanwhile),?\s+")
_INITIAL_PRONOUN_RE = re.compile(r"^(?P<pro>He|She|His|Her)\b")
# The gender a pronoun asks of the person it points back to.
_PRONOUN_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f"}
# How many sentences before its own a pronoun whose last subject cannot be meant looks back.
ANTECEDENT_SENTENCES = 3
_WORD_RE = re.compile(r"[A-Za-z]+")
_WORD_AT_RE = re.compile(r"([\w'’-]+)\s+")
# Words before a name that say a person's party or nation, where the recogniser counts them in.
_PARTY_WORDS = DEMONYMS | {"Lib", "Dem", "Dems"}
_JOINING_WORDS = frozenset({"and", "&", "of", "for", "at", "the", "in", "on"})
_LEADING_FELLOW_RE = re.compile(r"^(?:[Tt]he\s+|[Ff]ellow\s+|[Aa]\s+)+")
_SUBJECT_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_SPACES_RE = re.compile(r"\s+")
# A clause cut before "while …" ends on the comma of the sentence it came from.
_TRAILING_COMMA_RE = re.compile(r"[,;]\s*([”\"’]?)$")


# Reporting participles that, followed by "to have"/"to be", are always passive: "... widely reported
# to have resigned", "said to be", never the subject reporting.
_PASSIVE_ONLY_PARTICIPLES = frozenset({"reported", "said", "thought", "believed", "understood", "rumoured",
                                       "alleged", "known", "expected"})
# Entity labels that never name a person who could speak or be "he"/"she" later: a prison,
# a mass, a magazine, a law or a date named like a person ("Belmarsh Prison", "New Yorker").
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "DATE",
                                "TIME", "LANGUAGE", "NORP"})

# A quote split by its attribution: what stands between two fragments of one sentence is the
# attribution alone ("“We will not,” he said, “raise …”"), a few words ending on a comma or dash,
# with no sentence end nor colon in it.
_SPLIT_ATTRIBUTION_RE = re.compile(r"^\s*[^.?!;:\n]{1,80}?[,—–]\s*$")
_SPLIT_ATTRIBUTION_VERB_RE = re.compile(
    rf"\b(?:{'|'.join(v for v in REPORTING_VERBS if ' ' not in v)}|says|said|adds|added|asks|asked)\b",
    re.IGNORECASE,
)
# Where the first fragment ends a sentence of its own, the next one starts another claim.
_FRAGMENT_END = ".?!"
# Dependency labels of a clause's subject: two fragments that each hold a main clause with one
# (“I am ready,” he said, “but I do not see …”) are two facts.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})

# Verbs by which someone or something reports in a clause; only clauses holding one are parsed
# for a speaker the patterns missed.
_SOURCE_VERB_RE = re.compile(rf"\b(?:{'|'.join(REPORTING_VERBS)}|say|show|shows|showed|found|find|finds)\b")
_BE_FORMS = "is|are|was|were|has been|have been|had been|being|be"
# A descriptor names a role when it holds a title word ("foreign minister"); "resident" does not.
_ROLE_WORD_RE = re.compile(rf"\b{TITLE}\b")
# Where a speaker phrase after its verb ends, and words that open a clause or a phrase of its own
# inside it ("a spokesman for Conservative leader Michael Howard" is not Mr Howard).
_PHRASE_END_RE = re.compile(r"[,.;:!?()\[\]\"“”]")
_CLAUSE_WORD_RE = re.compile(r"\b(?:who|which|that|and|but|when|as|said|says|told|for|to|by|with|of)\b")
# A name that opens with small letters and goes on with a capital: "easyJet", "eBay", "iPod".
_SMALL_CAPITAL_NAME_RE = re.compile(r"[a-z]+[A-Z]")
#: A spokesperson phrase up to whom they speak for: "a spokesman for ", "the party spokeswoman for ".
_SPOKESPERSON_FOR_RE = re.compile(
    r"(?:(?:an?|the|his|her|their)\s+)?(?-i:[a-z-]+\s+)?(?P<spokes>" + "|".join(sorted(SPOKES_WORDS))
    + r")\s+for\s+", re.IGNORECASE)
#: A body named by its owner's possessive: "Varland's defence ministry", "Acme's board".
_OWNED_BODY_RE = re.compile(
    rf"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,3}}[{APOS}]s?\s+(?:[a-z-]+\s+){{0,2}}"
    rf"(?:{'|'.join(sorted(ORG_DESCRIPTORS - BUSINESS_DESCRIPTORS))})")
#: The most words a speaker phrase after its verb holds when read to its end for a name.
_MAX_DESCRIBED_WORDS = 8
# A short form in brackets after a name: "the British Bankers' Association (BBA) said".
_SHORT_FORM_RE = re.compile(r"\s*\([A-Z][A-Za-z&]{1,9}\)$")
# "Laura Brownlees of Save the Children": a name, then where the person works; the place may be
# the phrase the patterns found ("Nigel McCune from the Musicians' Union said").
_PLACED_NAME = r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s+(?:of|from|at)\s+(?:the\s+)?"
_PERSON_OF_RE = re.compile(_PLACED_NAME + r"[A-Z].*")
_PERSON_BEFORE_PLACE_RE = re.compile(_PLACED_NAME + r"$")
# A capitalised word and "and" right before a phrase: "the Securities and" + "Exchange Commission".
_JOINED_BEFORE_RE = re.compile(r"[A-Z][\w’'-]*\s+(?:and|&)\s+$")
# The words inside an organisation's name besides capitalised ones ("Department for Education and Skills").
_NAME_JOINERS = frozenset({"and", "&", "of", "for", "the"})
# Participles of a stance, which take what they are about as an object ("accusing it of ...").
_STANCE_PARTICIPLES = frozenset(
    p for p, past in PARTICIPLES.items() if past in STANCE_VERBS or past in DENY_VERBS)
_RELATIVE_OPEN_RE = re.compile(r",\s+(?:who|which|whose)\b")
# What closes a relative clause before a speaker phrase (not the comma inside "£150,000").
_CLAUSE_CLOSE_RE = re.compile(r",(?!\d{3})|[;:—–(]")
_BRACKETED_RE = re.compile(r"\s*\(?[A-Z][A-Za-z&]{0,9}\)?")
# What follows a nationality in "according to the French news agency AFP", up to the clause's end,
# and the name that closes it, after the noun of its kind.
_SOURCE_REST_CHARS = 80
_SOURCE_END_RE = re.compile(r"[,.;:“”\"()]")
_TRAILING_NAME_RE = re.compile(
    r"\b(?P<kind>[a-z][\w-]*)\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})\s*$")
# "said the American", "added the British producer": a person described by nationality (the
# recogniser's NORP), maybe with a noun after it.
_NATIONALITY_NP_RE = re.compile(r"[Tt]he\s+(?P<norp>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?:\s+[a-z][\w-]*)?")

# A role in apposition to a name ties the office to the person: "the prime minister, Tony Blair,"
# and "Tony Blair, the prime minister,". How far back the role may start before the name.
_APPOSITION_WINDOW = 80
_APPOSITION_BEFORE_RE = re.compile(rf"(?:^|[\s(])[Tt]he\s+(?P<role>{ROLE_MOD}{{0,3}}{TITLE}),\s*$")
_APPOSITION_AFTER_RE = re.compile(rf",\s+(?:the\s+)?(?P<role>{ROLE_MOD}{{0,3}}{TITLE})\s*(?:,|\.|;|$)")
# What opens a sentence before a name with its role: "Transport & General Worker's Union general"
# + "secretary Tony Woodley" (the mention holds the last word of the title): capitalised words (an
# organisation, a possessive), then one lowercase word of a title. No verb or preposition may
# stand between ("Police arrested general secretary Tony Woodley" is an object).
_ROLE_OPENING_RE = re.compile(r"\s*(?:[Tt]he\s+)?(?:[A-Z&][\w&'’.-]*\s+){1,5}(?P<head>[a-z]+)\s+")
# A pronoun of the first person. Case matters: "US" is a country; a capitalised "My", "We" or
# "Our" is one only where a sentence or clause opens and no capitalised word follows ("My Summer
# of Love" is a title); "I" is none after a capitalised word other than an opener, nor before a
# hyphen ("World War I", "Charles I", "World War I-era"), nor in "I, Robot" or "I'Anson".
_FIRST_PERSON_RE = re.compile(
    r"\b(?:my|me|we|our|ours|us)\b"
    r"|(?:\A|[.!?;:]\s+|[\"“‘]\s*)(?:My|We|Our)\b(?!\s+[A-Z])"
    r"|(?<![\w'’-])I(?![\w-]|['’]?[A-Z]|,\s+[A-Z])"
)
# Words that open a clause of their own after a quote: '..." a view that X said he shared'.
_CLAUSE_OPENING_WORDS = frozenset({"that", "which", "who", "whom", "while", "after", "as", "when", "before"})
# Words that open a sentence before its subject: "But I think", "Now I know".
_CLAUSE_OPENERS = frozenset(
    "and but so yet now then if when as because although though here there today still also or "
    "perhaps maybe sometimes personally honestly frankly well yes no oh".split()
)
_WORD_BEFORE_RE = re.compile(r"([\w'’]+)\s*\Z")
# A determiner right before a capitalised word makes it a description, not a name ("the Scot").
_DESCRIBED_BEFORE_RE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+\Z")

# What may stand right before a name that is its clause's subject: nothing (the sentence opens
# with it, a filler adverb or a conjunction at most), a clause boundary, or a conjunction or
# subordinator opening a clause, a time ("On Monday Mr Blair said"), or the reporting verb of an
# inverted attribution ("said Mr Blair"). A preposition, another verb or any other word before it
# makes the name an object or a modifier.
_SUBJECT_BEFORE_RE = re.compile(
    r"(?:\A|[,;:(—–~]|\b[A-Z][\w'’]*|\b(?:said|says|added|adds|week|month|year|night|today|yesterday|"
    r"morning|afternoon|evening|and|but|or|while|whereas|as|when|after|before|because|since|although|though|"
    r"if|that|until|once|so|yet|then|meanwhile|however|also|now|later|earlier|afterwards))\s*[\"“‘']?\s*(?:[Tt]he\s+)?\Z"
)

# The one-word reporting verbs, longest first, as a regex alternation.
_ONE_WORD_REPORTING = "|".join(
    sorted({v for v in SAY_VERBS + HEDGE_VERBS if " " not in v}, key=lambda v: (-len(v), v)))
# An organisation described in apposition: "Metrovias, the private firm which runs ...".
_ORG_APPOSITION_RE = re.compile(
    rf",\s+(?:the|a|an)\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<kind>{'|'.join(sorted(ORG_DESCRIPTORS))})"
    # The organisation noun heads the phrase ("the club's chief executive", "the union leader" are
    # people), and it is no trailing attribution ("... in May, the company said").
    r"(?=\s*[,.;)]|\s*\Z|\s+(?:which|that|whose|based|owned|run|behind)\b)"
)
# Before a name that is the subject of reported words: "Mr Peston said (that) Mr Blair had decided",
# "and that Mr Blair had decided". Such a name rivals the reporter as the next "he".
_REPORTED_SUBJECT_BEFORE_RE = re.compile(
    r"\b(?:(?:"
    + _ONE_WORD_REPORTING
    + r")(?:\s+that)?|that)\s+(?:[Tt]he\s+)?\Z"
)
# Before the speaker of an attribution set after its words: '..., claimed' + 'Mr Brown'.
_INVERTED_SAY_BEFORE_RE = re.compile(
    r"[,”\"’']\s*(?:"
    + _ONE_WORD_REPORTING
    + r")\s+(?:[Tt]he\s+)?\Z"
)
# A possessive just before a speaker phrase: "The prime minister's official" + "spokesman".
_POSSESSIVE_BEFORE_RE = re.compile(rf"[{APOS}]s?\s+(?:[a-z]+\s+){{0,2}}$")
# A spokesperson phrase just before the principal's name: "a spokeswoman for" + "Mrs Marsh".
_SPOKES_FOR_RE = re.compile(
    rf"\b(?P<word>{'|'.join(sorted(SPOKES_WORDS))})\s+for\s+(?:the\s+)?$", re.IGNORECASE
)
# Enough characters before a speaker phrase to hold the honorific it may have left out ("Baroness ").
_HONORIFIC_CHARS = 12
# A possessive name whose spokesperson is the subject: "Tony Blair's official spokesman".
_SPOKES_AFTER_RE = re.compile(
    rf"[{APOS}]s?\s+(?:[a-z]+\s+){{0,2}}(?:{'|'.join(sorted(SPOKES_WORDS))})\b"
)

# Facility and place nouns: a proper name right before one is a modifier ("the Harbor City
# plant", "the Larchfield site"), naming a place rather than an actor.
_FACILITY_AFTER_RE = re.compile(
    r"\s+(?:plant|plants|site|sites|factory|factories|works|mine|mines|mill|mills|office|offices|"
    r"headquarters|store|stores|branch|branches|depot|warehouse|yard|port|airport|station|hospital|"
    r"campus|area|district|region|residents)\b"
)

class ClaimExtractor(Protocol):
    """Anything that turns an article into claims; the rule-based one or, later, an LLM client."""

    name: ClassVar[str]
    version: ClassVar[str]

    def extract(self, article: Article) -> list[Claim]:
        """Return the claims of one article."""
        ...


@dataclass(slots=True)
class _Unit:
    """A piece of a sentence that becomes one claim."""

    kind: Literal["quote", "reported", "reporting"]
    start: int
    end: int
    attribution: Attribution | None = None
    quote: tuple[int, int] | None = None
    text: str | None = None
    # A quote split by its attribution: every fragment, ``quote`` being the first.
    fragments: list[tuple[int, int]] | None = None


@dataclass(slots=True)
class _ChainAttribution:
    attribution: Attribution | None
    full: bool


class RuleBasedExtractor:
    """Regex and lexicon rules over blingfire sentences; thousands of sentences per second on one core."""

    name: ClassVar[str] = EXTRACTOR_NAME
    version: ClassVar[str] = EXTRACTOR_VERSION

    def __init__(self, languages: tuple[str, ...] = ("en",)) -> None:
        """Create an extractor that handles the given languages (the rules are English)."""
        self.languages = languages
        self._extractor = Extractor(name=self.name, version=self.version)

    def extract(self, article: Article) -> list[Claim]:
        """Return the claims of ``article``; an empty list for unsupported languages."""
        (claims,) = self.extract_many([article])
        return claims

    def extract_many(self, articles: Iterable[Article]) -> list[list[Claim]]:
        """Return the claims of each article in order, their sentences parsed in batches (``nlp.pipe``).

        A batch of many articles costs less per article than one at a time: the pipeline's
        fixed cost per call is shared. What is read from the parse does not depend on the batch.
        """
        articles = list(articles)
        found: list[list[Claim]] = []
        for start in range(0, len(articles), WALKS_PER_BATCH):
            found.extend(self._extract_batch(articles[start : start + WALKS_PER_BATCH]))
        return found

    def _extract_batch(self, articles: Sequence[Article]) -> list[list[Claim]]:
        readers = [_ArticleReader(article, self) for article in articles]
        wanted = [(reader, sentence) for reader in readers if reader.supported()
                  for sentence in reader.to_parse()]
        docs = parsing.parse_many(reader.text[s.start : s.end] for reader, s in wanted)
        for (reader, sentence), doc in zip(wanted, docs, strict=True):
            reader.parse.add(sentence.start, doc)
        for reader in readers:
            reader.parsed = True
        # What the walks ask on the way (a sentence to parse, entities to read) is served in batches.
        return interleave.interleave([reader.read for reader in readers], parsing.serve)


class _ArticleReader:
    """The state of extracting one article; thrown away afterwards."""

    def __init__(self, article: Article, extractor: RuleBasedExtractor) -> None:
        self.article = article
        self.extractor = extractor
        self.body = article.body
        self.text = mask_markup(article.body)
        self.discourse = Discourse()
        self.discourse.recognised_org = self._recognised_org
        self.claims: list[Claim] = []
        self.chains: dict[int, _ChainAttribution] = {}
        self.sentence_mentions: list[tuple[int, str]] = []
        self.possessive_starts: set[int] = set()
        # Where the names of this sentence that stand as a clause's subject start.
        self.subject_starts: set[int] = set()
        # Where the names of this sentence that are the subject of reported words start, and the
        # persons so named by the sentence before (``written_antecedent``).
        self.reported_starts: set[int] = set()
        self.previous_reported: tuple[str, ...] = ()
        # Speakers already looked at by _classify.
        self.classified: set[str] = set()
        # The persons named outside quotes in the last sentences read, oldest first, each as
        # (start, name, whether it stands as a subject): where a pronoun whose last subject is of
        # the other gender looks back (``antecedent``).
        self.recent_mentions: collections.deque[list[tuple[int, str, bool]]] = collections.deque(
            maxlen=ANTECEDENT_SENTENCES)
        # Where speaker phrases that took a plural verb start ("The Tories claim").
        self.plural_np_starts: set[int] = set()
        self.person_matches: list[re.Match[str]] = []
        self.last_speaker_paragraph = -1
        # A person other than the last speaker was made a sentence's subject since that speaker spoke.
        self.subject_since_speaker = False
        # The last claim's speaker and who its text says spoke ("Tony Blair", "Tony Blair’s
        # spokesman"): a "he" after a spokesperson is the spokesperson.
        self.last_voice: tuple[str, str] | None = None
        # The organisation an unnamed spokesperson last spoke for, and the last subject then: "A
        # Labour Party spokesman told the BBC ... '...,' he said" is the spokesman again.
        self.spoken_for: tuple[str, int] | None = None
        # How many times a person has been named outside quotes so far (``spoken_for``).
        self.persons_named = 0
        self.language = (article.language or detect_language(self.text) or "en").lower()[:2]
        self.parse = parsing.ArticleParse()
        self.parsed = False
        self.paras: list[tuple[int, int]] = []
        self.sentences: list[Sentence] = []

    def supported(self) -> bool:
        """Whether the article is in a language the extractor reads."""
        return self.language in self.extractor.languages

    def _segment(self) -> None:
        if not self.sentences:
            self.paras = paragraphs(self.text)
            self.sentences = sentences(self.text, self.paras)

    def to_parse(self) -> list[Sentence]:
        """Return the sentences whose parse the extraction reads."""
        self._segment()
        return [s for s in self.sentences if parsing.needs_parse(self.text[s.start : s.end])]

    # -- the walk over the article ------------------------------------------------------------

    def read(self) -> list[Claim]:
        if not self.supported():
            log.debug("article %s is in %r; the rules read %r only", self.article.id, self.language,
                      self.extractor.languages)
            return []
        if not self.parsed:
            wanted = self.to_parse()
            docs = parsing.parse_many(self.text[s.start : s.end] for s in wanted)
            for sentence, doc in zip(wanted, docs, strict=True):
                self.parse.add(sentence.start, doc)
            self.parsed = True
        self.sentence_starts = [s.start for s in self.sentences]
        self.quotes = _find_quotes(self.text, self.paras)
        self.quote_starts = [q.open_at for q in self.quotes]
        self.outside = self._mask_quotes()
        self.discourse.text = self.outside
        for sentence in self.sentences:
            self._read_sentence(sentence)
            if len(self.claims) >= MAX_CLAIMS_PER_ARTICLE:
                log.warning("article %s: stopped at %d claims", self.article.id, MAX_CLAIMS_PER_ARTICLE)
                break
        # Aliases once the whole article is read: the first claim of "Tony Blair" gets the "Mr
        # Blair" and "the prime minister" used for him further down too.
        for claim in self.claims:
            if claim.speaker:
                claim.speaker_aliases = self.discourse.aliases_of(claim.speaker)
        return self.claims

    def _spoke(self, speaker: str, sentence: Sentence) -> None:
        """Record that ``speaker`` spoke in ``sentence``: the story is with them again."""
        self.discourse.note_speaker(speaker)
        self.last_speaker_paragraph = sentence.paragraph
        self.subject_since_speaker = False

    def _mask_quotes(self) -> str:
        chars = list(self.text)
        for quote in self.quotes:
            chars[quote.start : quote.end] = _MASK_CHAR * (quote.end - quote.start)
        return "".join(chars)

    def _read_sentence(self, sentence: Sentence) -> None:
        self.discourse.ahead_at = sentence.end
        self._register_mentions(sentence)
        quotes = self._quotes_in(sentence)
        full: list[Quote] = []
        for index, quote in enumerate(quotes):
            # The fragment after '“It was,” said Reyes,' is as full a quote as the one before it,
            # though no attribution pattern reads backwards from it to "said Reyes".
            if self._chain(quote).full or (
                full and full[-1] is quotes[index - 1] and self._continues(full[-1], quote)
            ):
                full.append(quote)
        # Quotes of two chains (two speakers) in one sentence stay quotes, each with its speaker.
        if full and (len({quote.chain for quote in full}) > 1
                     or not all(self._embedded(sentence, quote) for quote in full)):
            units = self._quote_units(sentence, full)
        else:
            units = self._clause_units(sentence, quotes)
            if full:
                units = self._around_embedded(sentence, full, units)
        subject_set = False
        for unit in units:
            claim = self._claim(unit, sentence)
            if claim is None:
                if unit.kind == "quote" and unit.attribution is not None and unit.attribution.speaker:
                    # “No,” she said. “We lost everything.”: too short to be a claim, the reply
                    # still tells who speaks on.
                    self._spoke(unit.attribution.speaker, sentence)
                continue
            self.claims.append(claim)
            if claim.speaker:
                self._classify(claim.speaker, sentence.end)
            self._note_spokesperson(claim, unit)
            if claim.speaker and unit.attribution is not None and \
                    unit.attribution.np_start in self.plural_np_starts:
                self.discourse.groups.add(claim.speaker)
            if claim.speaker and not subject_set:
                # A plural subject ("The Tories claim ...") is never the next "he" or "she".
                self.discourse.note_subject(claim.speaker)
                subject_set = claim.speaker == self.discourse.last_subject
            if claim.speaker and claim.speaker not in self.discourse.groups:
                # "Analysts say ...": a group does not go on speaking in the quotes that follow.
                self._spoke(claim.speaker, sentence)
        if not subject_set:
            # The next "he" points back to this sentence's subject, not to a name in its object
            # ("the Pakistani president met Prime Minister Tony Blair" does not make Blair "he").
            # The first person, not an organisation naming where they work ("Transport Workers
            # Union general secretary Tony Woodley").
            subjects = [(start, name) for start, name in self.sentence_mentions
                        if start in self.subject_starts and not self.discourse.people[name].is_org]
            if subjects:
                start, name = subjects[0]
                self.discourse.note_subject(name)
                # Only the outlet's own sentence moves the story to someone: a name inside a
                # speaker's quote is what they talk about.
                if self.discourse.last_subject == name != self.discourse.last_speaker and \
                        self.outside[start : start + 1] == self.text[start : start + 1]:
                    self.subject_since_speaker = True
        self.persons_named += sum(1 for _start, name in self.sentence_mentions
                                  if not self.discourse.people[name].is_org)
        if self.spoken_for is not None and self.spoken_for[1] < 0:
            self.spoken_for = (self.spoken_for[0], self.persons_named)
        # The persons this sentence names as the subject of reported words, for the next one's pronouns.
        self.previous_reported = tuple(dict.fromkeys(
            name for start, name in self.sentence_mentions
            if start in self.reported_starts and not self.discourse.people[name].is_org))
        self.recent_mentions.append([(start, name, start in self.subject_starts)
                                     for start, name in self.sentence_mentions])

    def _embedded(self, sentence: Sentence, quote: Quote) -> bool:
        """Whether a quote stands inside a sentence the outlet wrote around it.

        `The plan was “a disaster for the town”, Mr Lee said.`: words before the quote are
        neither its attribution nor a quote, so the sentence is read as reported speech, whole,
        with the quoted words as its quote (the quote alone, "Mr Lee said: “a disaster for the
        town”", lost what the disaster is; and a label there, `the “failing” agency widely
        reported to ...`, is read as the label it is).
        """
        before = self.outside[sentence.start : quote.open_at].rstrip()
        if not re.search(r"[A-Za-z]{2,}", before) or before.endswith((":", ".", "!", "?")):
            # Nothing before it, or what comes before introduces it ("Roly Keating: “…”", "And
            # continued: “…”") or ends a sentence the splitter did not cut there.
            return False
        first = re.search(r"[A-Za-z]", self.text[quote.start : quote.end])
        if first is None or first.group(0).isupper() or quote.close_at is None or \
                quote.close_at >= sentence.end:
            # Words woven into a sentence start in lowercase and end inside it; a capitalised
            # quote after running text is a sentence of its own whose boundary the text lost
            # ('... doubts about his future "I think ...," he said.').
            return False
        found = self._chain(quote).attribution
        return found is None or found.np_start > quote.open_at  # said after the quote, not before it

    def _around_embedded(self, sentence: Sentence, full: list[Quote], units: list[_Unit]) -> list[_Unit]:
        """The clause units of a sentence whose quotes are woven into it, finished as quotes are."""
        if len(units) == 1:
            said = self._chain(full[-1]).attribution
            read = units[0].attribution
            if said is not None and said.speaker and self._attributed_after(full[-1], said) and \
                    (read is None or read.np_start < full[0].open_at):
                # 'The report adds "...," said Ann Lee': the quote's own attribution speaks, not
                # a phrase before the quote (one after it the clause has read more closely).
                units = [dataclasses.replace(units[0], attribution=said)]
            # 'The comments were not a "one-off", Mr Lee said, claiming ...': a second claim.
            tail = self._participle_tail(sentence, full[-1], units[0].attribution)
            comma = self.outside.rfind(",", units[0].start, tail.start) if tail is not None else -1
            if tail is not None and comma > units[0].start:
                units = [dataclasses.replace(units[0], end=comma), tail]
        kept = []
        for unit in units:
            quote = next((q for q in full if unit.start <= q.start < unit.end), None)
            if unit.quote is None and quote is not None:
                # The quoted words stay the claim's quote, though no one is named for them
                # ("..., she said" with no "she" known): the chain read them as someone's words.
                unit = dataclasses.replace(unit, quote=(quote.start, min(quote.end, unit.end)))
            kept.append(unit)
        return kept

    def _attributed_after(self, quote: Quote, found: Attribution) -> bool:
        """Whether ``found`` follows ``quote`` as its attribution: '"...," said X', '"...", X said'."""
        if quote.close_at is None or found.np_start <= quote.close_at:
            return False
        quoted = self.text[quote.open_at + 1 : quote.close_at].rstrip()
        between = self.text[quote.close_at + 1 : found.np_start]
        return (quoted.endswith(",") or between.lstrip().startswith(",")) and \
            len(between.replace(",", " ").split()) <= 1

    def _note_spokesperson(self, claim: Claim, unit: _Unit) -> None:
        """Remember an organisation's unnamed spokesperson until someone else speaks."""
        if not claim.speaker or unit.attribution is None:
            return
        principal = self.discourse.people.get(claim.speaker)
        through = spoken_through(unit.attribution.np_text) is not None
        if through and (principal.is_org if principal is not None else is_office(claim.speaker)):
            # An organisation's or an office's spokesperson ("the prime minister's spokesman").
            self.spoken_for = (claim.speaker, -1)  # counted once the sentence is read
        elif unit.attribution.np_text.strip().lower() not in ("he", "she"):
            self.spoken_for = None

    def _register_mentions(self, sentence: Sentence) -> None:
        """Register the people named outside quotes; quoted names are not antecedents."""
        self.sentence_mentions = []
        self.possessive_starts = set()
        self.subject_starts = set()
        self.reported_starts = set()
        segment = self.outside[sentence.start : sentence.end]
        for match in CLASSIFIED_ORG_RE.finditer(segment):
            self.discourse.register_org(match.group("name"), match.group("kind"))
        # One pass of the costly person pattern per sentence, shared with entity finding.
        self.person_matches = list(PERSON_RE.finditer(self.text, sentence.start, sentence.end))
        outside_quotes = [
            m for m in self.person_matches if _MASK_CHAR not in self.outside[m.start() : m.end()]
        ]
        for start, end, name, role, _hon in person_mentions(segment, 0, outside_quotes):
            shown_from = start
            if role is None and not _hon and self.discourse.canonical(name) not in self.discourse.people:
                opened = self._opening_word_cut(sentence, start, end)
                if opened is not None:
                    # The name loses the word; the phrase still stands where it starts (its
                    # position says whether it is the sentence's subject).
                    shown_from, name = opened
            if role is None and _FACILITY_AFTER_RE.match(self.outside, end, sentence.end):
                # "its Harbor City plant": a name modifying a facility noun is a place, not an
                # organisation that could be "the company" or a speaker later on.
                continue
            if role is None and " " not in name:
                canonical = self.discourse.canonical(name, _hon)
                if canonical not in self.discourse.people:
                    kind = _ORG_APPOSITION_RE.match(self.outside, end)
                    if kind is not None and _SUBJECT_BEFORE_RE.search(self.outside[sentence.start : start]):
                        # "Metrovias, the private firm which runs ...": an organisation, later
                        # "the firm" or "it".
                        self.discourse.register_org(name, kind.group("kind"))
                    continue
                name = canonical
            label = None
            if role is None and not _hon and self.discourse.canonical(name) not in self.discourse.people:
                # A new name without title or role: the named-entity recogniser says what it names.
                label = self.parse.entity_label(self.text[sentence.start : sentence.end], sentence.start,
                                                start, end)
                if label in _NOT_PERSON_LABELS:
                    continue
                core = self.parse.person_within(self.text[sentence.start : sentence.end], sentence.start,
                                                start, end)
                if core is not None:
                    # "Producer Kevin Wallace", "Californian Thomas Slattery": the recogniser's
                    # person is the last words; the first ones describe them (kept as the role
                    # when they name one).
                    described = clean_phrase(self.text[start:core])
                    self.discourse.described[name] = clean_phrase(self.text[core:end])
                    name = self.discourse.described[name]
                    role = described if _ROLE_WORD_RE.search(described.lower()) else None
            if role is None and not _hon:
                role = self._apposed_role(start, end)
            person = self.discourse.register(name, role, honorific=_hon)
            if label == "PERSON":
                self.discourse.recognised.add(person.name)
            self.discourse.note_surface(person.name, self.text[shown_from:end])
            self.sentence_mentions.append((start, person.name))
            possessive = self.text[end : end + 1] in ("'", "’")
            if possessive:
                self.possessive_starts.add(start)
            if (not possessive or _SPOKES_AFTER_RE.match(self.outside, end, sentence.end)) and \
                    _subject_position(self.outside[sentence.start : start]):
                # "Mr Blair's spokesman said": the spokesman speaks for the principal, as today.
                self.subject_starts.add(start)
                if _REPORTED_SUBJECT_BEFORE_RE.search(self.outside, sentence.start, start):
                    self.reported_starts.add(start)

    def _opening_word_cut(self, sentence: Sentence, start: int, end: int) -> tuple[int, str] | None:
        """The name without the sentence's first word, when that word is capitalised only for opening it.

        "Eventually Asimo could find ...", "Car-maker Honda's robot ...": the recogniser's entity
        starts at the second word and leaves the first outside every entity, so the first word
        is no part of the name (it had made "Eventually Asimo" the "he" of later sentences).
        Returns (start, name) of the rest, or None.
        """
        if self.outside[sentence.start : start].strip(" " + _QUOTE_CHARS + "(-—–"):
            return None
        first_end = start + len(self.text[start:end].split()[0])
        if first_end >= end:
            return None
        entities = self.parse.entities(self.text[sentence.start : sentence.end], sentence.start)
        if any(e_start < first_end and start < e_end for e_start, e_end, _label in entities):
            return None  # the first word is inside an entity: part of a name ("Gordon Brown")
        second = next((i for i in range(first_end, end) if not self.text[i].isspace()), end)
        if not any(e_start == second for e_start, _e_end, _label in entities):
            return None
        return second, clean_phrase(self.text[second:end])

    def _apposed_role(self, start: int, end: int) -> str | None:
        """Return the role set in apposition to the name at ``start:end``, if any."""
        before = _APPOSITION_BEFORE_RE.search(self.outside, max(0, start - _APPOSITION_WINDOW), start)
        if before is not None:
            return clean_phrase(before.group("role"))
        after = _APPOSITION_AFTER_RE.match(self.outside, end)
        if after is not None:
            return clean_phrase(after.group("role"))
        return None

    def antecedent(self, position: int) -> str | None:
        """Return who "he"/"she" (or the description) at ``position`` is.

        That is this sentence's first person named as a subject before it ("Mr Blair arrived and
        he said"), else the subject of the sentences before. A name in the possessive ("While
        saying he admired Mr Blair's leadership, he ...") modifies a noun, and one after a
        preposition or a verb ("Standing next to Mr Blair, he added") is an object: neither is
        what a subject pronoun points back to.

        The pronoun must agree with the person: where the honorific gave the last subject the
        other gender ("Ms Kelly said ... Tim Collins ... he said"), or where the person is named
        again further on in the pronoun's own sentence ("He said Mr Blunkett's integrity
        remained intact": a pronoun is never the same person as a name in the clause it governs),
        the nearest person named before who can be meant is, searched as Hobbs did: this
        sentence, then the ones before, newest first, each subjects first and then left to right.
        Nobody when no one fits: a claim with no speaker is only less attributed, one with the
        wrong speaker is a false claim in that person's timeline.
        """
        word = _WORD_RE.match(self.outside, position)
        gender = _PRONOUN_GENDER.get(word.group(0).lower()) if word else None
        return self._antecedent(position, gender, self._named_after(position))

    def _named_after(self, position: int) -> Callable[[str], bool]:
        """Whether a person is named in the clause the subject pronoun at ``position`` governs.

        A pronoun is never the same person as a name it c-commands: "He insisted he still
        trusted Mr Blair" is not Mr Blair, "He confirmed Mr Blair's insistence" not Mr Blair. A
        clause coordinated with the pronoun's ("He joins Norwich, but Stuart is confident") or
        one reporting its words ("he had rejected them, claimed Mr Brown") is outside it.
        """
        sentence = self._sentence_at(position)
        after = [(start, name) for start, name in self.sentence_mentions if start > position]
        if sentence is None or not after:
            return _nobody
        found: list[set[str]] = []

        def governed() -> set[str]:
            # Parsed only when a name the pronoun might be is named after it (seldom).
            doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
            pronoun = next((t for t in doc if sentence.start + t.idx == position), None)
            if pronoun is None or pronoun.dep_ not in ("nsubj", "nsubjpass"):
                return set()
            clause = pronoun.head
            outside = {t.i for c in clause.children if c.dep_ in ("conj", "cc", "parataxis")
                       or c.i < pronoun.i for t in c.subtree}
            offsets = {sentence.start + t.idx for t in clause.subtree if t.i not in outside}
            return {name for start, name in after if start in offsets
                    and not _INVERTED_SAY_BEFORE_RE.search(self.outside, sentence.start, start)}

        def named(name: str) -> bool:
            if all(name != other for _start, other in after):
                return False
            if not found:
                found.append(governed())
            return name in found[0]

        return named

    def _antecedent(self, position: int, gender: str | None, later: Callable[[str], bool]) -> str | None:
        def fits(name: str | None) -> bool:
            if name is None or name in self.discourse.groups or later(name):
                return False
            person = self.discourse.people.get(name)
            if person is None:
                return True  # an office left as the speaker ("the chancellor"): no gender known
            if person.is_org:
                return False
            if gender is not None and " " not in name and \
                    not self.discourse.shown_person(name, by_speaking=False) and \
                    not self._recognised_before(name, position):
                return False  # "Microsoft said ..." then "He said": one word never shown a person's
            return gender is None or person.gender in (None, gender)

        named = self._subject_before(position)
        if named and fits(named):
            return named
        before = self.discourse.last_subject
        if gender is not None and self.spoken_for is not None and self.spoken_for[1] == self.persons_named \
                and not any(start < position and not self.discourse.people[name].is_org
                            for start, name in self.sentence_mentions):
            # No person named since an organisation's spokesperson spoke: "he" is that spokesperson.
            return self.spoken_for[0]
        if fits(before):
            return before
        current = [(start, name, start in self.subject_starts)
                   for start, name in self.sentence_mentions if start < position]
        if named is None and self._opens_main_clause(position):
            # "Responding to criticism from Alan Hansen, he insisted ...": the pronoun is the
            # subject of the fronted phrase too, so a person that phrase names is someone else
            # (a person named as its subject would have been found above).
            current = []
        # Also when no person was noted as a subject so far (the story's subjects were
        # organisations): "... general secretary Tony Woodley repeated his view. He said ...".
        for mentions in (current, *reversed(self.recent_mentions)):
            for _start, name, _subject in sorted(mentions, key=lambda m: (not m[2], m[0])):
                # Only a name the article has shown to be a person's: "The Lib Dems want" is no "he".
                if fits(name) and self.discourse.shown_person(name):
                    return name
        return None

    def _opens_main_clause(self, position: int) -> bool:
        """Whether the pronoun at ``position`` follows a fronted phrase set off by a comma."""
        sentence = self._sentence_at(position)
        if sentence is None:
            return False
        before = self.outside[sentence.start : position].rstrip()
        return before.endswith(",")

    def _recognised_before(self, name: str, position: int) -> bool:
        """Whether the recogniser read ``name`` as a person more often than as anything else so far.

        For a one-word name the article introduced with no title, role or honorific ("But Parry,
        speaking to BBC Sport, admits ..."): only the recogniser can tell Parry from Microsoft,
        and one reading can err, so every mention outside quotes before ``position`` votes.
        Read only when a pronoun could point back to such a name (seldom).
        """
        votes = self._entity_votes(name, position)
        return votes["PERSON"] > sum(votes.values()) - votes["PERSON"]

    def _entity_votes(self, name: str, position: int) -> collections.Counter[str]:
        """The recogniser's labels of the mentions of ``name`` outside quotes up to ``position``."""
        votes: collections.Counter[str] = collections.Counter()
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", self.outside[:position]):
            sentence = self._sentence_at(match.start())
            if sentence is None or _DESCRIBED_BEFORE_RE.search(self.outside, sentence.start, match.start()):
                continue  # "the Scot admitted": a description, whatever the recogniser says
            found = self.parse.entity_extent(self.text[sentence.start : sentence.end], sentence.start,
                                             match.start(), match.end())
            if found is not None and found[:2] == match.span():
                # Only an entity that is the name itself: "Carly Fiorina, chief of technology
                # giant Hewlett Packard" read as one ORG says nothing of Carly Fiorina.
                votes[found[2]] += 1
        return votes

    def _recognised_org(self) -> str | None:
        """The last organisation the recogniser finds as a subject in the three sentences before this one.

        As a subject: at the start of its sentence or clause ("Metrovias, the private firm
        which runs ...", "..., and Unilever said"), not an object ("told BBC Sport").
        """
        index = bisect.bisect_right(self.sentence_starts, self.discourse.ahead_at - 1) - 1
        for sentence in reversed(self.sentences[max(0, index - 3) : max(0, index)]):
            text = self.text[sentence.start : sentence.end]
            for start, end, label in reversed(self.parse.entities(text, sentence.start)):
                if label == "ORG" and _MASK_CHAR not in self.outside[start:end] and \
                        self.text[start:start + 1].isupper() and \
                        _SUBJECT_BEFORE_RE.search(self.outside[sentence.start : start]):
                    name = clean_phrase(self.text[start:end])
                    known = self.discourse.people.get(self.discourse.canonical(name))
                    if known is not None and not known.is_org:
                        continue  # "Vince Cable" read as an organisation is still the person named
                    return name
        return None

    def _classify(self, speaker: str, position: int) -> None:
        """Mark a one-word speaker the article named bare as the organisation the recogniser reads it as.

        A capitalised name with no title, role, honorific or organisation word is a person by
        default; "Microsoft has said it will replace ..." is not, and "the company said" after it
        is Microsoft, never a speaker called "company". Decided once, on the mentions so far, by
        the recogniser's majority (ORG against PERSON).
        """
        if speaker in self.classified:
            return
        self.classified.add(speaker)
        person = self.discourse.people.get(speaker)
        if person is None or person.is_org or person.role or person.offices or person.gender \
                or speaker in self.discourse.recognised or not speaker[:1].isupper() or " " in speaker:
            # Names of two words and more are left as they are: the small recogniser reads
            # "Former Scotland international Finlay Calder" as an organisation.
            return
        votes = self._entity_votes(speaker, position)
        if votes["ORG"] > votes["PERSON"]:
            self.discourse.mark_org(speaker)

    def _subject_before(self, position: int) -> str | None:
        """This sentence's first person named as a subject before ``position``, if any."""
        for start, name in self.sentence_mentions:
            if start < position and not self.discourse.people[name].is_org and start in self.subject_starts \
                    and name not in self.discourse.groups:
                return name
        return None

    def written_antecedent(self, position: int, pronoun: str) -> str | None:
        """Return the name to write in place of a sentence-opening pronoun, or None when unsure.

        As :meth:`antecedent`, but a pronoun reaching back to the sentence before stays as written
        when that sentence reported words of another person known to be of the pronoun's gender
        (by an honorific; a gender is never guessed from a first name): in "Mr Peston said that Mr
        Blair had decided to quit. He then changed his mind", or "James Hardy said Mr Brown would
        draw dividing lines. He would contrast ...", "he" may be either, and a claim naming the
        wrong one is a false claim stored under that person, where one that says "He" is only less
        self-contained.
        """
        gender = "f" if pronoun in ("She", "Her") else "m"
        named = self._subject_before(position)
        said = _SUBJECT_PRONOUN_RE.search(self.outside, position)
        later = self._named_after(said.start()) if pronoun in ("He", "She") and said else _nobody
        found = self._antecedent(position, gender, later)
        if found is None or found == named:
            return found
        rivals = [other for other in self.previous_reported if other != found
                  and other in self.discourse.people
                  and self.discourse.people[other].gender == gender]
        return None if rivals else found

    # -- quotes -------------------------------------------------------------------------------

    def _quotes_in(self, sentence: Sentence) -> list[Quote]:
        index = max(0, bisect.bisect_right(self.quote_starts, sentence.start) - 1)
        found = []
        for quote in self.quotes[index:]:
            if quote.start >= sentence.end:
                break
            if quote.end > sentence.start and quote.start < sentence.end:
                found.append(quote)
        return found

    def _sentence_floor(self, position: int) -> int:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        return self.sentence_starts[index] if index >= 0 else 0

    def _sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding ``position``, if one starts at or before it."""
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        return self.sentences[index] if index >= 0 else None

    def _chain(self, quote: Quote) -> _ChainAttribution:
        cached = self.chains.get(quote.chain)
        if cached is not None:
            return cached
        members = [q for q in self.quotes if q.chain == quote.chain]
        first = members[0]
        para_end = self.paras[members[-1].paragraph][1]
        attribution = None
        before: Attribution | None = None
        if len(members) > 1:
            # A quote over several paragraphs introduced by name ("X told BBC Sport: “…") is
            # X's, whatever "he added" a later paragraph closes with.
            before = before_quote(self.outside, first.open_at, self._sentence_floor(first.open_at),
                                  self.discourse, self.antecedent)
            if before is not None and before.speaker is not None \
                    and before.np_text.strip().lower() not in PRONOUN_WORDS:
                attribution = before
        for member in members if attribution is None else ():
            if member.close_at is not None and not self._sentence_follows(member.close_at):
                attribution = after_quote(
                    self.outside, member.close_at, para_end, self.discourse, self.antecedent
                )
                if attribution:
                    break
        if attribution is None:
            attribution = before if len(members) > 1 else before_quote(
                self.outside, first.open_at, self._sentence_floor(first.open_at), self.discourse,
                self.antecedent)
        if attribution is None and len(members) > 1:
            # "The French president told reporters: “…": the parse names the verb's subject.
            opening = self._sentence_at(first.open_at)
            if opening is not None and opening.start < first.open_at:
                attribution = self._parsed_clause_attribution(opening.start, first.open_at, opening)
        sentence_start = self._sentence_floor(first.open_at)
        opens_sentence = not self.outside[sentence_start : first.open_at].strip(" —–-(")
        long_quote = len(members) > 1 or self._spans_sentences(first)
        if attribution is not None or opens_sentence or long_quote:
            # A quote inside a clause stays the clause's; the parse names only a quote's own speaker.
            attribution = self._parsed_attribution(first, attribution)
        if attribution is not None:
            attribution = self._named_speaker(attribution)
        full = attribution is not None or opens_sentence or long_quote
        if full and attribution is None and opens_sentence:
            attribution = self._inherited_speaker(first)
        if attribution is not None and attribution.speaker is None and not full:
            attribution = None
        result = _ChainAttribution(attribution, full)
        self.chains[quote.chain] = result
        return result

    def _sentence_follows(self, close_at: int) -> bool:
        """Whether a new sentence opens after the quote closing at ``close_at``.

        A quote ended by a full stop and followed by a capital is followed by a sentence of its own
        (``“… this important step.” Tony Blair said he was …``), whose subject is not the quote's
        speaker; an attribution after a quote follows a comma (``“…,” he said``) or a question or
        exclamation mark.
        """
        if self.text[max(0, close_at - 8) : close_at].rstrip()[-1:] != ".":
            return False
        after = self.outside[close_at + 1 : close_at + 40].lstrip(" \t")
        return after[:1].isupper()

    def _parsed_attribution(self, quote: Quote, found: Attribution | None) -> Attribution | None:
        """Let the parse name a quote's speaker where the patterns found none or only a modifier.

        ``“...,” said resident Jo Hart`` (no pattern for a lowercase descriptor) and ``said
        Norland's foreign minister, Petra Kask`` (the pattern stops at "Norland"): the subject of
        the reporting verb, or the person in apposition to it, is the speaker.
        """
        written = found.np_text.strip(" ,") if found is not None else ""
        if found is not None and found.speaker is not None and (
            found.np_start < 0 or not found.speaker[:1].isupper()
            or " " in found.speaker and (" " in written or not written[:1].isupper())
        ):
            # Inherited by news convention, or a full name or a descriptor the patterns resolved:
            # only a lone capitalised word ("Norland") may be a modifier of the real speaker,
            # whatever longer name the article gave it ("Swedish" after "the Swedish firm").
            if _SPOKESPERSON_FOR_RE.match(written):
                # "a spokesman for Labour party leader Ann Vale": the patterns stop at the body.
                return self._person_ending_phrase(found)
            return found
        # The sentence the quote opens in, then the one it closes in: '"When we started ... album.
        # We just wanted ...," said keyboard player Nick Rhodes.'
        opening = self._sentence_at(quote.open_at)
        closing = self._sentence_at(quote.close_at) if quote.close_at is not None else None
        parsed = None
        for sentence in dict.fromkeys(s for s in (opening, closing) if s is not None):
            doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
            closes_here = sentence is not opening
            # Only what follows the close (the quote's opening mark is in an earlier sentence), and
            # only an attribution right after it: '..." was the verdict after Tony Blair said ...'
            # is no attribution of the quote.
            tokens = [t for t in doc if not closes_here or sentence.start + t.idx > (quote.close_at or 0)]
            parsed = grammar.quote_speaker(tokens, partial(self.parse.set_entities, sentence.start))
            if parsed is not None and closes_here and not _attributes_closed_quote(tokens, parsed):
                parsed = None
            if parsed is not None:
                break
        if parsed is None:
            if found is None:
                return None
            return self._owned_body(found) or self._person_ending_phrase(found)
        if found is not None and found.speaker is not None:
            # Keep the patterns' speaker unless it is only a word of the parsed phrase ("Norland").
            phrase = doc.text[parsed.start : parsed.end]
            if written in parsed.name or written not in phrase:
                return found
        role = clean_phrase(parsed.description) if parsed.description else None
        if role and not _ROLE_WORD_RE.search(role):
            role = None
        person = self.discourse.register(self.discourse.canonical(parsed.name), role)
        return Attribution(person.name, person.role, parsed.verb, sentence.start + parsed.start,
                           sentence.start + parsed.end, doc.text[parsed.start : parsed.end])

    def _owned_body(self, found: Attribution) -> Attribution | None:
        """The body a possessive owner names where the patterns stopped at the owner.

        ``"...," said Varland's defence ministry``: the patterns read "Varland"; the phrase to
        the clause's end is the owner's body of that kind, as "Varland's defence ministry said"
        is (:func:`.speakers.resolve_descriptor`), not the country. A business's parts ("Acme's
        board") speak for the business, as before.
        """
        sentence = self._sentence_at(found.np_start) if found.np_start >= 0 else None
        if sentence is None or found.speaker is None:
            return None
        stop = _PHRASE_END_RE.search(self.outside, found.np_end, sentence.end)
        phrase = self.text[found.np_start : stop.start() if stop else sentence.end].rstrip()
        if _OWNED_BODY_RE.fullmatch(phrase) is None:
            return None
        name, role = resolve_descriptor(self.discourse, phrase)
        if name is None:
            return None
        return Attribution(name, role, found.verb, found.np_start, found.np_start + len(phrase), phrase)

    def _person_ending_phrase(self, found: Attribution) -> Attribution:
        """The person the recogniser reads at the end of a speaker phrase the patterns cut short.

        ``“...,” said Swedish trades union official Ulf Carlsson.``: the patterns stop at
        "Swedish" and the small parser misreads "trades" as the verb; the phrase runs to the
        clause's end, and a person's name that ends it is the speaker, the words before it the
        role. Only a phrase of words (no clause: "who", "and", "that") of a few words.
        """
        if found.np_start < 0 or found.speaker is None:
            return found
        sentence = self._sentence_at(found.np_start)
        if sentence is None:
            return found
        stop = _PHRASE_END_RE.search(self.outside, found.np_end, sentence.end)
        end = stop.start() if stop else sentence.end
        phrase = self.text[found.np_start : end]
        # "a spokesman for Conservative leader Michael Howard": the person the spokesperson speaks
        # for ends the phrase; the words after "for" are read as any other phrase.
        spokes = _SPOKESPERSON_FOR_RE.match(phrase)
        own = phrase[spokes.end() :] if spokes else phrase
        if len(own.split()) > _MAX_DESCRIBED_WORDS or _CLAUSE_WORD_RE.search(own):
            return found
        entities = self.parse.entities(self.text[sentence.start : sentence.end], sentence.start)
        phrase_end = end - (len(phrase) - len(phrase.rstrip()))
        last = next(((a, b, label) for a, b, label in entities
                     if a > found.np_start and b == phrase_end), None)
        if last is None or len(self.text[last[0] : last[1]].split()) < 2:
            return found
        person = last[:2]
        described = clean_phrase(self.text[found.np_start + len(phrase) - len(own) : person[0]])
        titled = bool(described) and _ROLE_WORD_RE.search(described.split()[-1]) is not None
        # The small recogniser reads some people as organisations ("Ulf Carlsson"): after a title
        # ("union official") a name is a person's whatever its label.
        if last[2] != "PERSON" and not titled or last[2] in _NOT_PERSON_LABELS:
            return found  # "said a spokesman for the Acme chairman last night": a time is no one
        if spokes and not titled:
            # "the spokeswoman for education Ruth Kell": a portfolio, and the name is her own.
            return found
        name = self.discourse.canonical(self.text[person[0] : person[1]])
        entry = self.discourse.register(name, described if titled else None)
        # A spokesperson speaks for the person: the person is the speaker, in the spokesperson's
        # voice (as "a spokesman for Boeing"); the title before the name stays the person's.
        role = spokes.group("spokes").lower() if spokes else entry.role
        return Attribution(entry.name, role, found.verb, found.np_start, person[1],
                           self.text[found.np_start : person[1]])

    def _reports_in_main_clause(self, found: Attribution, sentence: Sentence) -> bool:
        """Whether the parse reads a plural reporting form as a verb outside any relative clause.

        "Economists warn that ..." reports; "a police state", "posters which critics claim depict
        ..." and "a move ministers say should ..." do not report the sentence.
        """
        at = self.outside.find(found.verb or "", found.np_end, sentence.end)
        if at < 0:
            return False
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        span = doc.char_span(at - sentence.start, at - sentence.start + len(found.verb or ""),
                             alignment_mode="expand")
        if span is None:
            return False
        verb = span[0]
        # A stance or a denial takes what it is about as its object ("Unions accuse Wal-Mart of
        # ...", "Ministers deny the claims"); a denial negated is a stance still ("do not rule
        # out"), where speech or praise negated is none ("did not say which", "does not praise").
        takes_object = found.verb in STANCE_VERBS or found.verb in DENY_VERBS
        if found.verb not in DENY_VERBS and any(c.dep_ == "neg" for c in verb.children):
            return False
        # Speech reports a clause ("claim they can", "warn that", "promise to run") or a quote;
        # with a plain object and no clause the verb tells of an act: "will announce his line-up",
        # "will add their awards to ...". A stance is about its object.
        after = self.outside[span.end_char + sentence.start : sentence.end].lstrip()
        if not takes_object and any(c.dep_ == "dobj" for c in verb.children) and \
                not any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in verb.children) and \
                not after.startswith((":", '"', "“", "'", "‘")):
            return False
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects and not any(found.np_start <= sentence.start + s.idx < found.np_end
                                for s in (subjects[0], *subjects[0].conjuncts)):
            return False  # "Reports from Russia say": the phrase found is not the verb's subject
        reports = verb.tag_ in ("VBP", "VB") and not any(
            t.dep_ in ("relcl", "acl") for t in (verb, *verb.ancestors))
        singular = any(s.lower_ in ("he", "she", "it") for s in subjects) or any(
            c.dep_ == "aux" for c in verb.children)
        if reports and verb.tag_ == "VBP" and not singular:
            # "The Tories claim": a plural subject ("Mr Brown will say" is a base form, not one;
            # "He did, however, admit" one the tagger read as a plural form).
            self.plural_np_starts.add(found.np_start)
        return reports

    def _closes_relative_clause(self, found: Attribution, sentence: Sentence) -> bool:
        """Whether the speaker phrase ends a relative clause opened after a comma before it.

        "Mr Galloway, who won damages from the Daily Telegraph said": words stand between "who"
        and the phrase. "..., which Yukos claims was ..." has the phrase right after "which":
        it is the relative clause's own speaker, and stays.
        """
        if found.np_start <= sentence.start:
            return False
        openings = list(_RELATIVE_OPEN_RE.finditer(self.outside, sentence.start, found.np_start))
        if not openings:
            return False
        opened = openings[-1]
        between = self.outside[opened.end() : found.np_start]
        if _CLAUSE_CLOSE_RE.search(between):
            return False  # the clause closed before the phrase: "..., which ... , NHTSA warned"
        return bool([w for w in between.split() if w.lower() not in ("the", "a", "an")])

    def _participle_subject(self, found: Attribution, sentence: Sentence) -> bool:
        """Whether the phrase before a reporting verb is a participle: "Having said that, ...".

        A word opening a sentence is capitalised whatever it is; one ending in -ing is read in
        the parse, and speaks only as a noun ("Reading said ..." is a club).
        """
        phrase = found.np_text.strip(" ,")
        if found.np_start < 0 or " " in phrase or not phrase.endswith("ing") or \
                self.outside[sentence.start : found.np_start].strip(" \"“‘'("):
            return False
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        at = found.np_start + found.np_text.index(phrase) - sentence.start
        span = doc.char_span(at, at + len(phrase), alignment_mode="expand")
        return span is not None and span[0].tag_ in ("VBG", "VBN")

    def _named_speaker(self, found: Attribution) -> Attribution:
        """Return whom a speaker phrase names.

        A person described by nationality is the person before, an organisation has its whole
        name, a person placed by an organisation is the person.
        """
        return self._person_after_affiliation(
            self._person_of(self._joined_organisation(
                self._organisation_extent(self._nationality_speaker(found)))))

    def _person_after_affiliation(self, found: Attribution) -> Attribution:
        """Give the person, not the phrase, when capitalised words before a name describe them.

        "Lib Dem Norman Baker", "Labour MSP Christine May", "fellow Tory David Heathcoat-Amory":
        the recogniser's person of two or more words ends the phrase, and what comes before it
        (a party, an office) is their role, not part of their name.
        """
        if found.np_start < 0 or found.speaker is None or len(found.speaker.split()) < 3:
            return found
        phrase = found.np_text.rstrip(" ,")
        end = found.np_start + len(phrase)
        last = phrase.split()[-1]
        sentence = self._sentence_at(found.np_start)
        if sentence is None:
            return found
        extent = self.parse.entity_extent(self.text[sentence.start : sentence.end], sentence.start,
                                          end - len(last), end)
        if extent is None or extent[2] != "PERSON" or extent[1] != end:
            return found
        opens = found.np_start + len(found.np_text) - len(found.np_text.lstrip(" ,"))
        start = max(extent[0], opens)
        # The recogniser may hold a party in the person: "Lib Dem Norman Baker", "Tory David ...".
        while (word := _WORD_AT_RE.match(self.text, start, end)) and (
                word.group(1) in _PARTY_WORDS or word.group(1).lower() == "fellow"):
            start = word.end()
        if start <= opens:
            return found
        name = self.text[start:end]
        described = clean_phrase(self.text[found.np_start : start])
        described = _LEADING_FELLOW_RE.sub("", described)
        if len(name.split()) < 2 or not described or not described[0].isupper() or \
                described.split()[-1].lower() in _JOINING_WORDS:
            return found  # "Technology and Intellectual Property" is one name
        if described.rstrip(".") in NAME_TITLES or described.rstrip(".") in HONORIFICS:
            return found  # "Sir Edward Leigh": the title is the name's, no role
        person = self.discourse.register(self.discourse.canonical(name), described)
        return Attribution(person.name, person.role, found.verb, found.np_start, found.np_end,
                           found.np_text)

    def _organisation_extent(self, found: Attribution) -> Attribution:
        """Give an organisation its whole name where the patterns stopped at a possessive.

        "the British Bankers' Association", "the Information Commissioner's Office": the
        recogniser's organisation ends where the phrase found ends and starts before it.
        """
        if found.np_start < 0 or found.speaker is None:
            return found
        phrase = found.np_text.strip(" ,")
        at = found.np_start + found.np_text.index(phrase)
        phrase = _SHORT_FORM_RE.sub("", phrase)  # "Association (BBA)"
        if not phrase[:1].isupper() or not _POSSESSIVE_BEFORE_RE.search(self.outside, max(0, at - 40), at):
            return found  # the recogniser is asked only where a possessive word comes right before
        sentence = self._sentence_at(at)
        if sentence is None:
            return found
        extent = self.parse.entity_extent(self.text[sentence.start : sentence.end], sentence.start,
                                          at, at + len(phrase))
        end = at + len(phrase)
        if extent is None or extent[2] != "ORG" or extent[0] >= at or extent[0] < sentence.start or not (
                extent[1] == end or _BRACKETED_RE.fullmatch(self.text[end : extent[1]])):
            return found  # the recogniser may take in "(BBA" after the name
        name = clean_phrase(self.text[extent[0] : end])
        if not any(w.endswith(("'", "’", "'s", "’s")) for w in name.split()[:-1]):
            return found  # only a name cut at a possessive inside it
        speaker = self.discourse.register_org(name).name
        return Attribution(speaker, found.role, found.verb, extent[0], found.np_end,
                           self.outside[extent[0] : found.np_end])

    def _joined_organisation(self, found: Attribution) -> Attribution:
        """Give an organisation its whole name where the patterns stopped at an "and" inside it.

        "The Securities and Exchange Commission", "the Health and Safety Executive", "a spokesman
        for the Economy and Finance Ministry": the patterns take no "and" into a name (so "Blair
        and Brown said" stays two people) and found "Exchange Commission", "Safety Executive".
        The parse joins the parts: the phrase's head, up through the names it is coordinated
        with and the name it completes after "for" or "of", heads a run of capitalised words
        ending where the phrase ends, with the "and" inside it (a head coordinated with another,
        "Blair and Brown", is two speakers). The run is the speaker when the recogniser reads it
        as one organisation, or reads no name in it and its head is an organisation word
        ("Department", "Commission"). Any other name the recogniser reads in it says the run holds
        two: "the Bank of England" and "Treasury", and so, for want of a better reader, "the
        Department for Education" and "Skills".
        """
        if found.np_start < 0 or found.speaker is None:
            return found
        phrase = found.np_text.strip(" ,")
        at = found.np_start + found.np_text.index(phrase)
        end = at + len(phrase)
        if not phrase[:1].isupper() or not _JOINED_BEFORE_RE.search(self.outside, max(0, at - 40), at):
            return found
        sentence = self._sentence_at(at)
        if sentence is None:
            return found
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        span = doc.char_span(at - sentence.start, end - sentence.start)
        if span is None:
            return found
        offset = sentence.start
        node = span.root
        while True:
            if node.dep_ == "conj" and node.head.tag_ in ("NNP", "NNPS"):
                node = node.head
            elif node.dep_ == "pobj" and node.head.lower_ in ("for", "of") and \
                    node.head.head.tag_ in ("NNP", "NNPS"):
                node = node.head.head
            else:
                break
        if any(c.dep_ == "conj" for c in node.children):
            return found  # "Blair and Brown", "Universal and Warner Brothers": two speakers
        # The run stops where the phrase ends ("..., which represents civil servants" is not in it).
        words = [t for t in node.subtree if offset + t.idx < end]
        if words and words[0].lower_ == "the":
            words = words[1:]
        if not words or offset + words[-1].idx + len(words[-1].text) != end or \
                offset + words[0].idx >= at or words[0].lower_ in _NAME_JOINERS or \
                not any(t.lower_ in ("and", "&") for t in words) or \
                not all(t.text[:1].isupper() or t.lower_ in _NAME_JOINERS for t in words):
            return found
        start = offset + words[0].idx
        entities = self.parse.entities(self.text[sentence.start : sentence.end], sentence.start)
        # One organisation to the recogniser, or no name to it at all and an organisation word at
        # the head. Any other name in the run ("the Bank of England" + "Treasury", "Barclays" +
        # "Lloyds Banking Group", a person) says it holds two.
        one_org = any(s <= start and end <= e and label == "ORG" for s, e, label in entities)
        named = any(start < e and s < end for s, e, _ in entities)
        if not (one_org or (not named and node.text in ORG_WORDS)):
            return found
        speaker = self.discourse.register_org(clean_phrase(self.text[start:end])).name
        return Attribution(speaker, found.role, found.verb, start, found.np_end,
                           self.outside[start : found.np_end])

    def _person_of(self, found: Attribution) -> Attribution:
        """Give the person, not the phrase, when a named person is placed by an organisation.

        "Laura Brownlees of Save the Children", "John Brady of ABN AMRO": the recogniser's
        person of two or more words opens the phrase, and the organisation after "of", "from" or
        "at" says where they work. A lord's territorial title ("Lord Nicholls of Birkenhead")
        is one word before "of", so it stays whole.
        """
        if found.np_start < 0 or found.speaker is None or " " not in found.speaker:
            return found
        phrase = found.np_text.strip(" ,")
        at = found.np_start + found.np_text.index(phrase)
        sentence = self._sentence_at(at)
        if sentence is None:
            return found
        match = _PERSON_OF_RE.fullmatch(phrase)
        if match is not None:
            name_start, name_end = at + match.start("name"), at + match.end("name")
        else:
            # "Nigel McCune from the Musicians' Union said": the phrase found is the organisation.
            before = _PERSON_BEFORE_PLACE_RE.search(self.outside, sentence.start, at)
            if before is None:
                return found
            name_start, name_end = before.start("name"), before.end("name")
        extent = self.parse.entity_extent(self.text[sentence.start : sentence.end], sentence.start,
                                          name_start, name_end)
        if extent is None or extent[2] != "PERSON" or extent[1] != name_end:
            return found
        name = self.text[max(extent[0], name_start) : name_end]
        if len(name.split()) < 2:
            return found
        person = self.discourse.register(self.discourse.canonical(name), found.role)
        return Attribution(person.name, person.role, found.verb, found.np_start, found.np_end,
                           found.np_text)

    def _nationality_speaker(self, found: Attribution) -> Attribution:
        """Resolve "said the American" / "added the British producer" like "he": the person before.

        A nationality is not a speaker: left as it was, "American" became one speaker across every
        article that described someone so. With nobody named before, the claim has no speaker.
        """
        if found.np_start < 0 or found.speaker is None:
            return found
        match = _NATIONALITY_NP_RE.fullmatch(found.np_text.strip(" ,"))
        if match is None:
            return found
        at = found.np_start + (len(found.np_text) - len(found.np_text.lstrip(" ,")))
        sentence = self._sentence_at(at)
        if sentence is None:
            return found
        # A NORP entity must start the capitalised words and hold the second one, if any: "the
        # South African", "the Uruguayan-born researcher", not "the Scottish Executive" (a
        # demonym and a name's head).
        norp = match.group("norp").split()
        extent = self.parse.entity_extent(self.text[sentence.start : sentence.end], sentence.start,
                                          at + match.start("norp"),
                                          at + match.start("norp") + len(norp[0].split("-")[0]))
        if extent is None or extent[2] != "NORP" or extent[0] != at + match.start("norp") or (
                len(norp) > 1 and extent[1] < at + match.end("norp")):
            return found
        if found.verb == "according to":
            # "according to the French news agency AFP": a source, named after its description.
            rest = self.outside[found.np_end : found.np_end + _SOURCE_REST_CHARS]
            rest = _SOURCE_END_RE.split(rest, maxsplit=1)[0]
            named = _TRAILING_NAME_RE.search(rest)
            if named is None:
                return found
            source = self.discourse.register_org(named.group("name"), named.group("kind")).name
            end = found.np_end + len(rest)
            return Attribution(source, None, found.verb, found.np_start, end,
                               self.outside[found.np_start : end])
        words = self.parse.tokens(at + match.start(), at + match.end())
        if not words or words[-1].tag_ in ("NNS", "NNPS"):
            return found  # "said the Tories" is a group that speaks; unparsed, nothing is known
        name = self.antecedent(found.np_start)
        role = self.discourse.role_of(name) if name else None
        return Attribution(name, role, found.verb, found.np_start, found.np_end, found.np_text)

    def _person_around(self, found: Attribution, sentence: Sentence) -> Attribution:
        """Give reported speech to the person the patterns' speaker phrase only describes.

        ``JF Sullivan, spokesman for software firm Sendmail said ...``: the patterns stop at
        "Sendmail"; the parse's subject is Sullivan, with the rest in apposition (his role).
        """
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        parsed = grammar.person_around(list(doc), found.np_start - sentence.start,
                                       found.np_end - sentence.start,
                                       partial(self.parse.set_entities, sentence.start))
        if parsed is None or found.speaker is not None and found.speaker in parsed.name:
            return found
        role = clean_phrase(parsed.description) if parsed.description else None
        if role and not (_ROLE_WORD_RE.search(role) or SPOKES_WORDS.intersection(role.lower().split())):
            role = None
        person = self.discourse.register(self.discourse.canonical(parsed.name), role)
        return Attribution(person.name, person.role, found.verb, sentence.start + parsed.start,
                           sentence.start + parsed.end, doc.text[parsed.start : parsed.end])

    def _parsed_clause_attribution(self, start: int, end: int, sentence: Sentence) -> Attribution | None:
        """Let the parse name the speaker of reported speech the patterns missed.

        ``Varia's trade minister, Jon Aske, said ...``, ``Participating airlines agreed ...``,
        ``Company filings show ...``, ``The memo says ...``: the subject of the reporting verb.
        """
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        tokens = [t for t in doc if start <= sentence.start + t.idx < end]
        parsed = grammar.clause_speaker(tokens, partial(self.parse.set_entities, sentence.start))
        if parsed is None:
            return None
        named = PERSON_RE.fullmatch(parsed.name)
        if named is not None and (parsed.description is not None or " " in named.group("name")
                                  or self.discourse.canonical(parsed.name) in self.discourse.people):
            role = clean_phrase(parsed.description) if parsed.description else None
            if role and not _ROLE_WORD_RE.search(role):
                role = None
            honorific = named.group("hon") or named.group("hon2")
            person = self.discourse.register(self.discourse.canonical(titled_name(named), honorific), role,
                                             honorific=honorific)
            speaker, role = person.name, person.role
        else:
            # A descriptive subject speaks only when the article resolves it to someone named, or
            # it is a document or a group (the lexicon's kinds): "the world", "the minutes" do not.
            found, role = resolve_descriptor(self.discourse, parsed.name)
            head = parsed.name.lower().split()[-1]
            if found is None or not (found in self.discourse.people or head.rstrip("s") in DOCUMENT_WORDS
                                     or head in GROUP_WORDS):
                return None
            speaker = found
        return Attribution(speaker, role, parsed.verb, sentence.start + parsed.start,
                           sentence.start + parsed.end, doc.text[parsed.start : parsed.end])

    def _spans_sentences(self, quote: Quote) -> bool:
        return self._sentence_floor(quote.start) != self._sentence_floor(max(quote.start, quote.end - 1))

    def _inherited_speaker(self, quote: Quote) -> Attribution | None:
        """Give a quote standing alone right after someone spoke to them, as news convention does.

        Not once the story has moved to another person ("Ruddock, though, is keen to ..." after
        Forster spoke): a quote standing alone after that is as likely theirs.
        """
        if self.discourse.last_speaker is None or self.subject_since_speaker:
            return None
        if quote.paragraph - self.last_speaker_paragraph > MAX_INHERIT_PARAGRAPHS:
            return None
        speaker = self.discourse.last_speaker
        return Attribution(speaker, self.discourse.role_of(speaker), None, -1, -1, "")

    def _quote_units(self, sentence: Sentence, full: list[Quote]) -> list[_Unit]:
        groups: list[list[Quote]] = []
        for quote in full:
            if groups and self._continues(groups[-1][-1], quote):
                groups[-1].append(quote)
            else:
                groups.append([quote])
        units = []
        for index, group in enumerate(groups):
            fragments: list[tuple[int, int]] = []
            for quote in group:
                start = max(quote.start, sentence.start)
                end = min(quote.end, sentence.end)
                while end > start and self.text[end - 1] in " ,;:—–":
                    end -= 1
                if end > start or not fragments:
                    fragments.append((start, end))
            if len(fragments) > 1 and fragments[0][1] <= fragments[0][0]:
                fragments.pop(0)
            if len(groups) == 1:
                span = (sentence.start, sentence.end)
            else:
                span_start = sentence.start if index == 0 else max(sentence.start, group[0].open_at)
                span_end = sentence.end if index == len(groups) - 1 else groups[index + 1][0].open_at
                span = (span_start, span_end)
            # The attribution between fragments names the speaker of all of them.
            attribution = next((found for found in (self._chain(q).attribution for q in group)
                                if found is not None and found.speaker is not None),
                               self._chain(group[0]).attribution)
            units.append(_Unit("quote", span[0], span[1], attribution, fragments[0], fragments=fragments))
        tail = self._participle_tail(sentence, full[-1], units[-1].attribution)
        if tail is not None:
            units.append(tail)
        return units

    def _continues(self, previous: Quote, quote: Quote) -> bool:
        """Whether ``quote`` continues the sentence ``previous`` began, past its attribution.

        ``“We will not,” he said, “raise taxes this year.”``: one sentence broken by "he said,",
        one claim. Not when the first fragment ends its sentence (``“…fast,” she said. “We
        lost …”`` are two sentences, two facts) nor when both fragments are main clauses (``“I am
        ready,” he said, “but I do not see much point …”``, ``“Net usage peaks at night,” he
        said, “they get access only at home.”``): a tracked claim is one fact, and each of those
        keeps its speaker and its own exact quote.
        """
        if previous.close_at is None or previous.paragraph != quote.paragraph:
            return False
        if self.text[previous.open_at + 1 : previous.close_at].rstrip()[-1:] in _FRAGMENT_END:
            return False
        between = self.outside[previous.close_at + 1 : quote.open_at]
        if not _SPLIT_ATTRIBUTION_RE.match(between) or not _SPLIT_ATTRIBUTION_VERB_RE.search(between):
            return False
        return not (self._main_clause(previous) and self._main_clause(quote))

    def _main_clause(self, quote: Quote) -> bool:
        """Whether a quoted fragment holds a main clause: a subject whose verb is not subordinate.

        "I am ready", "and all of them are …", "we lost our shape" do; "raise taxes", "the worst
        flood", "If prices rise", "a craze that everyone thought …" do not. The fragment's
        sentence is parsed here if it was not: split quotes are rare.
        """
        sentence = self.sentences[bisect.bisect_right(self.sentence_starts, quote.start) - 1]
        doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
        inside = {t.i for t in doc if quote.start <= sentence.start + t.idx < quote.end}
        for token in doc:
            if token.i not in inside or token.dep_ not in _SUBJECT_DEPS:
                continue
            verb = token.head
            attached_outside = verb.head.i == verb.i or verb.head.i not in inside
            if verb.i in inside and attached_outside and not any(c.dep_ == "mark" for c in verb.children):
                return True
        return False

    def _participle_speaker(self, start: int, end: int, sentence: Sentence) -> Attribution | None:
        """Give "X did Y, saying Z" to X: the subject named before the participle of saying.

        "Treasury Secretary John Snow put a brave face on the news, saying it was a sign of
        strength": what he said is his, and a quote standing alone after it is his too.
        """
        said = _CLAUSE_BREAK_RE.search(self.outside, start, end)
        if said is None or not said.group(0).startswith(","):
            return None
        part = _LEADING_PARTICIPLE_RE.match(self.outside[said.start() : end])
        if part is None:
            return None
        at = said.start() + part.start("part")
        after = self.outside[said.start() + part.end("part") : end].lstrip()
        if not after.startswith((":", '"', "“", "that ")):
            # What is said is a clause; "claiming the men's 800m", "adding 10 points" are acts.
            doc = self.parse.sentence(self.text[sentence.start : sentence.end], sentence.start)
            span = doc.char_span(at - sentence.start, at - sentence.start + len(part.group("part")),
                                 alignment_mode="expand")
            if span is None:
                return None
            clause = ("ccomp", "xcomp", "parataxis")
            wanted = (*clause, "dobj") if part.group("part") in _STANCE_PARTICIPLES else clause
            if not any(c.dep_ in wanted for c in span[0].children):
                return None
        # The main clause's subject is the last one before the participle: "When Carson died,
        # President Bush led the tributes, saying ..." is Bush's.
        for position, name in reversed(self.sentence_mentions):
            if start <= position < said.start() and position in self.subject_starts \
                    and position not in self.possessive_starts:
                verb = PARTICIPLES[part.group("part")]
                return Attribution(name, self.discourse.role_of(name), verb, -1, -1, "")
        return None

    def _participle_tail(
        self, sentence: Sentence, last: Quote, attribution: Attribution | None
    ) -> _Unit | None:
        """", stressing that …" after a quote and its attribution is a second claim by the same speaker."""
        if attribution is None or attribution.speaker is None or last.close_at is None:
            return None
        after = max(last.close_at + 1, attribution.np_end)
        if after >= sentence.end:
            return None
        match = re.search(rf",\s+(?=(?:{'|'.join(PARTICIPLES)})\b)", self.outside[after : sentence.end])
        if match is None:
            return None
        return _Unit("reported", after + match.end(), sentence.end, attribution)

    # -- clauses of reported speech and reporting ---------------------------------------------

    def _clause_units(self, sentence: Sentence, quotes: list[Quote]) -> list[_Unit]:
        bounds = [sentence.start]
        for match in _CLAUSE_BREAK_RE.finditer(self.outside, sentence.start, sentence.end):
            # The break falls after a closing quote mark, which belongs to the clause before it.
            cut = match.start() + 1
            while cut < match.end() and self.text[cut] in _QUOTE_CHARS:
                cut += 1
            bounds.append(match.end() if match.group(0).startswith(";") else cut)
        bounds.append(sentence.end)
        clauses = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
        # Keep a clause apart only if it carries its own quote or its own reporting verb;
        # otherwise it belongs to the clause before ("welcomed X, calling them …").
        merged: list[list[int]] = []
        for start, end in clauses:
            has_quote = any(start <= q.start < end for q in quotes)
            own_speech = bool(_LEADING_CONJ_RE.match(self.outside[start:end].lstrip(", ")))
            prev_has_quote = merged and any(merged[-1][0] <= q.start < merged[-1][1] for q in quotes)
            if merged and not ((has_quote and prev_has_quote) or own_speech):
                merged[-1][1] = end
            else:
                merged.append([start, end])
        units = []
        previous: Attribution | None = None
        previous_subject: str | None = None
        for start, end in merged:
            while start < end and self.text[start] in " ,;" + _QUOTE_CHARS[1::2]:
                start += 1
            while end > start and self.text[end - 1] in " ,;":
                end -= 1
            if end <= start:
                continue
            unit = self._clause_unit(start, end, quotes, previous, previous_subject, sentence)
            units.append(unit)
            previous = unit.attribution
            mentions = [name for pos, name in self.sentence_mentions if start <= pos < end]
            previous_subject = mentions[0] if mentions else previous_subject
        return units

    def _clause_unit(
        self, start: int, end: int, quotes: list[Quote], previous: Attribution | None,
        previous_subject: str | None, sentence: Sentence,
    ) -> _Unit:
        clause = self.outside[start:end]
        leading = _LEADING_PARTICIPLE_RE.match(clause) or _LEADING_CONJ_RE.match(clause)
        attribution = None
        if leading and start > sentence.start:
            inherited = previous.speaker if previous and previous.speaker else previous_subject
            if inherited:
                verb = leading.groupdict().get("part")
                attribution = Attribution(inherited, self.discourse.role_of(inherited),
                                          PARTICIPLES.get(verb, verb) if verb else None, -1, -1, "")
        if attribution is None:
            attribution = reported(self.outside, start, end, self.discourse, self.antecedent,
                                   initial_ok=start > sentence.start)
            if attribution is not None and attribution.speaker is None:
                attribution = None
            if attribution is not None and self._passive_report(attribution, end):
                attribution = None
            if attribution is not None and attribution.verb in PLURAL_FORMS and \
                    not self._reports_in_main_clause(attribution, sentence):
                attribution = None
            if attribution is not None and self._participle_subject(attribution, sentence):
                attribution = None
            if attribution is not None and self._closes_relative_clause(attribution, sentence):
                # "Mr Galloway, who won damages from the Daily Telegraph, said": the phrase before
                # the verb may close a relative clause; the parse says whose the verb is.
                attribution = self._parsed_clause_attribution(start, end, sentence)
            if attribution is not None:
                attribution = self._named_speaker(attribution)
            if attribution is not None and attribution.np_start > sentence.start and \
                    "," in self.outside[sentence.start : attribution.np_start]:
                attribution = self._person_around(attribution, sentence)
        if attribution is None and _SOURCE_VERB_RE.search(self.outside, start, end):
            attribution = self._parsed_clause_attribution(start, end, sentence)
        if attribution is None:
            attribution = self._participle_speaker(start, end, sentence)
        quote = None
        for candidate in quotes:
            if start <= candidate.start < end:
                chain = self.chains.get(candidate.chain)
                known = attribution or (chain.attribution if chain else None)
                if not self._speakers_words(candidate, known.speaker if known else None):
                    continue
                if attribution is None and chain and chain.attribution and chain.attribution.speaker and \
                        not self._passive_report(chain.attribution, end):
                    attribution = chain.attribution
                if attribution is not None:
                    quote = (candidate.start, min(candidate.end, end))
                break
        if attribution is not None and attribution.np_start > start and starts_after_subordinator(
            self.outside, start, attribution.np_start
        ):
            start = attribution.np_start
        kind: Literal["reported", "reporting"] = "reported" if attribution else "reporting"
        return _Unit(kind, start, end, attribution, quote)

    def _passive_report(self, found: Attribution, end: int) -> bool:
        """Whether the phrase found before a reporting verb is the subject of a passive.

        "The government was said to be ...", "Police were widely criticised", "... Agency widely
        reported to have resigned": the subject is what is talked about, not who talks.
        """
        if not found.verb or found.np_start < 0:
            return False
        after_np = self.outside[found.np_end : end]
        verb = re.escape(found.verb)
        if re.match(rf"\s+(?:{_BE_FORMS})\s+(?:\w+ly\s+)?{verb}\b", after_np) is not None:
            return True
        # Without "is": a participle that is never active before "to have/be" ("claimed to have
        # carried out" is the claimant's own act).
        return found.verb in _PASSIVE_ONLY_PARTICIPLES and \
            re.match(rf"\s+(?:\w+ly\s+)?{verb}\s+to\s+(?:have|be)\b", after_np) is not None

    def _speakers_words(self, quote: Quote, speaker: str | None) -> bool:
        """Whether a quote inside a clause is ``speaker``'s wording, not a label the outlet quotes."""
        span = self.parse.span(quote.start, quote.end)
        return span is None or grammar.is_speakers_words(span, None, speaker)

    def _tokens(self, start: int, end: int) -> list[Token]:
        return self.parse.tokens(start, end)

    def _verb_lemma(self, verb: str | None, start: int, end: int) -> str | None:
        """Return the lemma of the reporting verb as it stands in the sentence."""
        if not verb:
            return None
        first = verb.split()[0].lower()
        for token in self._tokens(start, end):
            if token.lower_ == first:
                return grammar.lemma(token)
        return first

    # -- claims -------------------------------------------------------------------------------

    def _claim(self, unit: _Unit, sentence: Sentence) -> Claim | None:
        attribution = unit.attribution
        speaker = attribution.speaker if attribution else None
        if speaker and attribution is not None and attribution.np_text:
            self.discourse.note_surface(speaker, attribution.np_text)
        role = attribution.role if attribution else None
        span_text = self.text[unit.start : unit.end]
        quote_text: str | None
        fragments = unit.fragments or ([unit.quote] if unit.quote else [])
        if unit.kind == "quote":
            assert fragments  # noqa: S101 - quote units always carry their quote
            quote_text = " ".join(self.body[start:end] for start, end in fragments)
            if len(quote_text.split()) < MIN_QUOTE_WORDS:
                return None
            shown = " ".join(_SPACES_RE.sub(" ", self.text[start:end]).strip() for start, end in fragments)
            voice = self._voice(attribution, speaker)
            if voice and voice[:1].islower() and not _SMALL_CAPITAL_NAME_RE.match(voice):
                # A name written with a lowercase first letter stays as it is ("easyJet said");
                # "anti-EU campaigners" is a phrase.
                # A phrase keeps its own determiner ("His lawyer said", "Another official said"),
                # a group speaks for itself ("Researchers said: “…”"); an office or any other
                # description is the one the article named: "The prime minister said: “…”",
                # "The club said: “…”".
                voice_words = voice.split()
                opened = voice_words[0] in ("his", "her", "its", "their", "our", "a", "an", "another", "the")
                grouped = not (speaker and is_office(speaker)) and any(w in GROUP_WORDS for w in voice_words)
                voice = voice[0].upper() + voice[1:] if opened or grouped else f"The {voice}"
            elif voice and _described_body(voice):
                voice = f"The {voice}"  # "The Russian foreign ministry said: “…”"
            text = f"{voice} said: “{shown}”" if voice else shown
            words = quote_text
            verb = attribution.verb if attribution else None
            mood = grammar.mood([token for start, end in fragments for token in self._tokens(start, end)],
                                self._verb_lemma(verb, sentence.start, sentence.end))
            around = self.text[sentence.start : sentence.end]
            claim_time = dates.resolve(
                _strip_quotes(around, sentence, self.quotes), self.article.published_at
            )
        else:
            if not self._is_claim(span_text):
                return None
            text = self._rewrite(unit, span_text, speaker)
            quote_text = self.body[unit.quote[0] : unit.quote[1]] if unit.quote else None
            words = span_text
            verb = attribution.verb if attribution else None
            mood = grammar.mood(self._tokens(unit.start, unit.end),
                                self._verb_lemma(verb, sentence.start, sentence.end))
            claim_time = dates.resolve(span_text, self.article.published_at)
            if claim_time is None and (unit.start, unit.end) != (sentence.start, sentence.end):
                claim_time = dates.resolve(
                    self.text[sentence.start : sentence.end], self.article.published_at
                )
        if not text.strip():
            return None
        quantities = numbers.find_numbers(words)
        entities = find_entities(self.text[unit.start : unit.end], self.discourse, exclude=speaker,
                                 person_matches=self.person_matches, offset=unit.start)
        if unit.kind == "quote":
            worth = checkworthiness.score(" ".join(self.text[start:end] for start, end in fragments))
        else:
            worth = checkworthiness.score(self.text[unit.start : unit.end])
        return Claim(
            article_id=self.article.id,
            source=self.article.source,
            url=self.article.url,
            published_at=self.article.published_at,
            text=text,
            speaker=speaker,
            speaker_role=role if speaker else None,
            # Words in the first person outside any quote are someone's, not the outlet's report:
            # a reader's comment, a column ("I think Mr Kilroy-Silk has got a very good point").
            reporting=speaker is None and unit.kind != "quote"
            and not _first_person(self.outside[unit.start : unit.end]),
            quote=quote_text,
            quote_spans=fragments if quote_text is not None else [],
            span=(unit.start, unit.end),
            numbers=quantities,
            modality="hedged" if mood.hedged else "asserted",
            hedge=mood.hedge,
            negated=mood.negated,
            entities=entities,
            claim_time=claim_time,
            checkworthiness=worth,
            language=self.language,
            extractor=self.extractor._extractor,
        )

    def _is_claim(self, span_text: str) -> bool:
        stripped = span_text.strip()
        if stripped.endswith("?") or _BOILERPLATE_RE.match(stripped):
            return False
        if len(stripped.split()) < MIN_CLAIM_WORDS:
            return False
        return _VERBISH_RE.search(stripped) is not None

    def _voice(self, attribution: Attribution | None, speaker: str | None) -> str | None:
        """Return who a claim's text says spoke: the speaker, or a person's spokesperson.

        "Mr Blair's official spokesman said" is Tony Blair's claim, said by "Tony Blair’s
        spokesman", never by Tony Blair himself. An organisation speaks through its
        spokespeople by news convention ("a Home Office spokesman said": "Home Office said").
        """
        if not speaker or attribution is None:
            return speaker
        if attribution.np_text.strip().lower() in ("he", "she") and self.last_voice is not None \
                and self.last_voice[0] == speaker and not self.last_voice[1].endswith("office"):
            return self.last_voice[1]  # "Mr Blair's spokesman said …. He added …"
        voice = self._spokesperson(attribution, speaker)
        self.last_voice = (speaker, voice)
        return voice

    def _spokesperson(self, attribution: Attribution, speaker: str) -> str:
        word = spoken_through(attribution.np_text)
        if word is not None and names_principal(attribution.np_text) \
                and speaker.split()[-1].lower() not in attribution.np_text.lower():
            # "A spokesman for DLF Builders, Dr Vancheshwar, said": the speaker is the spokesman.
            return speaker
        if word is not None:
            # "JF Sullivan, spokesman for Sendmail, said": the named person is the spokesman
            # ("Tony Blair's spokesman": the name owns the spokesman, and is the principal).
            surname = speaker.split()[-1]
            at = attribution.np_text.find(surname)
            if 0 <= at < attribution.np_text.lower().find(word) and \
                    attribution.np_text[at + len(surname) : at + len(surname) + 1] not in ("'", "’"):
                return speaker
        if word is None and attribution.np_start > 0:
            # "A spokeswoman for Mrs Marsh said": the phrase found may be the principal alone.
            found = _SPOKES_FOR_RE.search(self.text, max(0, attribution.np_start - 40), attribution.np_start)
            word = found.group("word").lower() if found else None
        person = self.discourse.people.get(speaker)
        if person is None and word is not None and is_office(speaker):
            return f"{speaker}’s {word}"  # "the prime minister's official spokesman" is not the office
        # A person is someone the article gave an honorific or an office ("Mr Blair", "Prime
        # Minister Tony Blair"); "Labour" and "Royal Mail" are neither and speak as today.
        before = self.text[max(0, attribution.np_start - _HONORIFIC_CHARS) : max(0, attribution.np_start)]
        words = [*before.split()[-1:], *attribution.np_text.split()]
        titled = any(w.rstrip(".") in HONORIFICS for w in words)
        if word is None or person is None or person.is_org or not (person.gender or person.offices or titled):
            return speaker
        return f"{speaker}’s {word}"

    def _rewrite(self, unit: _Unit, span_text: str, speaker: str | None) -> str:
        """Make the clause self-contained: name the speaker where a pronoun or participle stood."""
        text = span_text
        attribution = unit.attribution
        offset = unit.start
        named_later = speaker is not None and speaker in text  # "Its director, Kemi Adeyemi, said"
        voice = self._voice(attribution, speaker)
        through = attribution is not None and spoken_through(attribution.np_text) is not None
        if attribution is not None and attribution.np_start >= offset and (
            through and (names_principal(attribution.np_text)
                         or _POSSESSIVE_BEFORE_RE.search(text[: attribution.np_start - offset]))
        ):
            # "Mr Blair's official spokesman said ...", "A spokesman for John Prescott warned ...":
            # the phrase already says who spoke for whom; putting the principal's name in its
            # place would make them the words' speaker.
            pass
        elif (attribution and speaker and voice and attribution.np_start >= offset and attribution.np_text
                and not named_later):
            np_text = attribution.np_text.strip()
            # "The Foreign Secretary" already says the role speaker "foreign secretary".
            named = speaker.lower() in np_text.lower() or np_text.lower() in speaker.lower()
            if not named or np_text.lower() in (
                "he", "she", "it"
            ) or np_text.split()[-1] == speaker.split()[-1] and np_text != speaker:
                local = attribution.np_start - offset
                if speaker not in np_text:
                    rest = text[local + len(attribution.np_text) :]
                    # "A spokesman for Mr Prescott" names the principal where the phrase stands.
                    shown = speaker if _SPOKES_FOR_RE.search(text[:local]) else voice
                    if (shown[:1].islower() or _described_body(shown)) and \
                            (np_text.split()[0].lower() == "the" or is_office(shown)):
                        # A role or descriptor keeps its article: "the chancellor", "the Russian
                        # foreign ministry".
                        shown = f"the {shown}"
                    # "Mr X, who quit the party,said": the phrase ends at punctuation, not at a space
                    text = text[:local] + shown + (" " if rest[:1].isalnum() else "") + rest
        leading = _LEADING_PARTICIPLE_RE.match(text)
        if leading and voice:
            past = PARTICIPLES[leading.group("part")]
            text = f"{voice} {past}{text[leading.end():]}"
        else:
            conj = _LEADING_CONJ_RE.match(text)
            if conj and voice:
                text = f"{voice} {text[conj.end():]}"
        text = _LEADING_FILLER_RE.sub("", text)
        pronoun = _INITIAL_PRONOUN_RE.match(text)
        if pronoun and (attribution is None or attribution.np_start != offset):
            name = self.written_antecedent(unit.start, pronoun.group("pro"))
            if name:
                if is_office(name):
                    name = f"the {name}"  # an office left as the speaker: "The chancellor added ..."
                word = pronoun.group("pro")
                text = (f"{name}’s" if word in ("His", "Her") else name) + text[pronoun.end() :]
        text = _TRAILING_COMMA_RE.sub(r"\1", _SPACES_RE.sub(" ", text).strip())
        return text[0].upper() + text[1:] if text else text


def _described_body(name: str) -> bool:
    """Whether a speaker is a body described by a name and its kind: "Russian foreign ministry".

    Read with "the" in a sentence; "Russia's foreign ministry" has its owner's possessive instead.
    """
    words = name.split()
    return len(words) > 1 and words[-1] in ORG_DESCRIPTORS and words[0][:1].isupper() \
        and not words[0].endswith(("'s", "’s", "'", "’"))


def _attributes_closed_quote(tokens: list[Token], parsed: grammar.ParsedSpeaker) -> bool:
    """Whether the reporting verb the parse found after a quote's close reports the quote.

    It must be the first verb after the close, with no clause opened before it, and its subject
    must stand after the close: ', said keyboard player Nick Rhodes', ', Nick Rhodes said'.
    """
    start = tokens[0].idx if tokens else 0
    for token in tokens:
        verb = grammar.is_verb(token) and token.dep_ not in ("aux", "auxpass")
        if verb or token.lower_ in _CLAUSE_OPENING_WORDS:
            return token.text == parsed.verb and parsed.start >= start
    return False


def _subject_position(before: str) -> bool:
    """Whether a name after ``before`` (its sentence up to the name) is the sentence's subject."""
    if _SUBJECT_BEFORE_RE.search(before):
        return True
    opening = _ROLE_OPENING_RE.fullmatch(before)
    return opening is not None and opening.group("head") in TITLE_HEADS


def _first_person(text: str) -> bool:
    """Whether ``text`` speaks in the first person (see :data:`_FIRST_PERSON_RE`)."""
    for match in _FIRST_PERSON_RE.finditer(text):
        if match.group(0) == "I":
            before = _WORD_BEFORE_RE.search(text, 0, match.start())
            if before is not None and before.group(1)[:1].isupper() \
                    and before.group(1).lower() not in _CLAUSE_OPENERS:
                continue  # "World War I", "Charles I"; not "But I think"
        return True
    return False


def _nobody(name: str) -> bool:
    """No one: a pronoun that governs no clause here."""
    return False


def _strip_quotes(around: str, sentence: Sentence, quotes: list[Quote]) -> str:
    """Blank the quoted words of a sentence, so a date inside a quote is not the claim's date."""
    chars = list(around)
    for quote in quotes:
        start = max(quote.start, sentence.start) - sentence.start
        end = min(quote.end, sentence.end) - sentence.start
        if end > start:
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def extract_claims(article: Article) -> list[Claim]:
    """Return the claims of one article with the default rule-based extractor."""
    return _DEFAULT.extract(article)


_DEFAULT = RuleBasedExtractor()
