"""Who is who in one article: person mentions, roles, and back-references to them.

A speaker is introduced once with title and full name ("Russian President Vladimir Putin")
and later by surname, honorific, pronoun or role ("Putin", "Mr Putin", "he", "the president",
"the spokesman"). :class:`Discourse` keeps the people and organisations seen so far so that
every later mention normalises to the same name, with the role kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from factstream.processors.extract.lexicon import (
    BUSINESS_DESCRIPTORS,
    DEMONYMS,
    DOCUMENT_WORDS,
    GENERIC_ORG_DESCRIPTORS,
    GROUP_WORDS,
    HONORIFICS,
    KIND_EQUIVALENTS,
    NAME_TITLES,
    NOT_NAME_WORDS,
    OFFICE_WORDS,
    ORG_DESCRIPTORS,
    ORG_WORDS,
    RANK_ABBREVIATIONS,
    ROLE_PREMODIFIERS,
    SPOKES_WORDS,
    TITLE_WORDS,
)

UP = "A-ZÀ-ÖØ-Þ"
LO = "a-zß-öø-ÿ"
APOS = "'’"


def _alternation(words: tuple[str, ...] | frozenset[str]) -> str:
    # Longest first so "Prime Minister" wins over "Minister".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Honorifics are never part of a name: "Dr Helen Marsh" is Helen Marsh, titled Dr.
_NOT_NAME = rf"(?:{_alternation((*NOT_NAME_WORDS, *HONORIFICS))})(?![{LO}{APOS}\w-])"
# One name token: Putin, McDonald, O’Brien, Al-Assad, Jean-Claude, or an initial "J."
NAME_TOKEN = (
    rf"(?!{_NOT_NAME})[{UP}](?:[{LO}]+(?:[{UP}][{LO}]+)?(?:[-{APOS}][{UP}][{LO}]+|-[{LO}]+)*"
    rf"|[{APOS}][{UP}][{LO}]+|\.)"
)
_PARTICLE = r"(?:de|van|von|der|den|bin|al|da|dos|del|la|le|du|ter)"
# "&" joins the partners of a firm's name ("Hollis & Reed"), which stays one name.
NAME = rf"{NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+|&\s+)?{NAME_TOKEN}){{0,3}}"
ACRONYM = rf"(?:[{UP}]\.(?:[{UP}]\.)+|[{UP}]{{2,6}}s?)(?![{LO}])"
# Lowercase titles also open sentences capitalised ("Prosecutor Alan Whitby said").
TITLE = rf"(?:{_alternation(frozenset(TITLE_WORDS) | {t[0].upper() + t[1:] for t in TITLE_WORDS})})"
HONORIFIC = rf"(?:{_alternation(HONORIFICS)})\.?"
# Sentence-initial premodifiers are capitalised: "Former Chelsea captain Marcel Desailly".
_PREMODIFIERS = (*ROLE_PREMODIFIERS, *(w.capitalize() for w in ROLE_PREMODIFIERS))
ROLE_MOD = (
    # A full stop ends the word only inside it ("U.S"): "Saldano. Minister" is two sentences.
    rf"(?:(?:{_alternation(_PREMODIFIERS)}|(?!{_NOT_NAME}){ACRONYM}|(?!{_NOT_NAME})[{UP}](?:[\w&{APOS}-]|\.(?=\w))*"
    rf"(?:\s+(?:of|for|&)\s+(?:the\s+)?[{UP}][\w{APOS}-]*)?)\s+)"
)
ROLE = rf"{ROLE_MOD}{{0,3}}{TITLE}"
# The lowercase title words, which also modify a title inside a role: "general secretary",
# "general manager" ("general" is a title of its own, and no premodifier).
_LOWER_TITLE = _alternation(tuple(t for t in TITLE_WORDS if t.islower()))
# How many words may describe the title in an organisation's role. ROLE allows three, which cuts
# "UK Independence Party deputy leader" or "Green Party general secretary" short of the name; six
# words hold a body's name of four and two words of office before its title.
_AFFILIATION_WORDS = 6
# A role that names the body whose office it is, longer than ROLE: "Green Party general
# secretary", "National Farmers Union finance director". Only before a name (see AFFILIATED_RE).
AFFILIATED_ROLE = rf"(?:{ROLE_MOD}|(?:{_LOWER_TITLE})\s+){{1,{_AFFILIATION_WORDS}}}{TITLE}"
# "Green Party general secretary Tom Reyes": the name after the role is the person; the rest is the
# role. Tried where PERSON_RE (three modifiers, one title) does not read the whole phrase.
AFFILIATED_RE = re.compile(
    rf"(?P<role>{AFFILIATED_ROLE})\s+(?:(?P<hon2>{HONORIFIC})\s+)?(?P<name>{NAME})(?![{LO}])"
)

# "Russian President Vladimir Putin", "Mr Putin", "Vladimir Putin", "Kremlin spokesman Dmitry Peskov"
PERSON_RE = re.compile(
    # Word starts only: the lookbehind rejects most positions before the costly alternations run.
    rf"(?<![\w{APOS}.-])(?=[{UP}]|(?:{_alternation(ROLE_PREMODIFIERS)}|{TITLE})\s)"
    rf"(?:(?P<role>{ROLE})\s+(?:(?P<hon2>{HONORIFIC})\s+)?|(?P<hon>{HONORIFIC})\s+)?(?P<name>{NAME})(?![{LO}])"
)

_SPACE_RE = re.compile(r"\s+")
# A sentence's opening conjunction is no part of the phrase after it: "But critics say".
_DETERMINER_RE = re.compile(r"^(?:(?:but|and|yet)\s+)?(?:the|a|an)\s+|^(?:but|and|yet)\s+", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(rf"[{APOS}]s?$")
_TITLE_RE = re.compile(rf"\b{TITLE}\b")
_ORG_DESCRIPTOR_RE = re.compile(rf"\b(?:{_alternation(ORG_DESCRIPTORS)})\b")
_GROUPS = frozenset(GROUP_WORDS)
_ORG_KIND_WORDS = ORG_DESCRIPTORS | {w.lower() for w in ORG_WORDS}
# A classifier noun before a proper name gives the organisation's kind: "airline SkyBridge".
CLASSIFIED_ORG_RE = re.compile(
    rf"(?<![\w-])(?P<kind>{_alternation(ORG_DESCRIPTORS)})\s+(?P<name>{NAME_TOKEN}(?:\s+(?:&\s+)?{NAME_TOKEN}){{0,3}})"
)
_ORG_NAME_RE = re.compile(rf"{NAME_TOKEN}(?:\s+(?:(?:of|for|the|&)\s+)*{NAME_TOKEN}){{0,5}}")
# "their union announced" may name the union in the next sentence or two, not further.
MAX_CATAPHORA_CHARS = 400
_DETERMINERS = frozenset({"the", "a", "an"})
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our"})


def titled_name(match: re.Match[str]) -> str:
    """Return a :data:`PERSON_RE` match's name with a title that belongs to it ("Sir Edward Leigh")."""
    name = match.group("name")
    title = (match.group("hon2") or match.groupdict().get("hon") or "").rstrip(".")
    return f"{title} {name}" if title in NAME_TITLES else name


def clean_phrase(text: str) -> str:
    """Collapse blanks and drop a leading determiner and a trailing possessive."""
    text = _SPACE_RE.sub(" ", text).strip(" ,")
    text = _DETERMINER_RE.sub("", text)
    return _POSSESSIVE_RE.sub("", text)


def is_org_like(name: str) -> bool:
    """Whether a capitalised phrase names an organisation rather than a person."""
    tokens = name.replace(".", "").split()
    if "&" in tokens or any(token in ORG_WORDS for token in tokens):
        return True
    return len(tokens) == 1 and tokens[0].isupper()


# Titles an organisation gives its own people, and the words that may precede them without
# naming an organisation ("deputy chief executive", "finance director").
_ORG_TITLES = (
    "chief executive", "chief financial officer", "chief operating officer", "managing director",
    "general counsel", "ceo", "cfo", "coo", "chairman", "chairwoman", "chair", "director",
    "founder", "co-founder", "spokesman", "spokeswoman", "spokesperson",
)
_ORG_TITLE_PREFIXES = frozenset(
    "deputy acting interim senior vice assistant outgoing incoming new lead finance financial "
    "operations operating technical technology marketing sales commercial communications company "
    "group executive non-executive".split()
)


def organisation_title(role: str) -> bool:
    """Whether ``role`` is a title inside an organisation that names none ("finance director").

    "Northfield Steel chief executive", "Its director", "former chairman" and "Union leader"
    are not: they name the organisation, point elsewhere, or are no longer its voice.
    """
    words = role.lower().split()
    for title in _ORG_TITLES:
        size = title.count(" ") + 1
        if len(words) >= size and " ".join(words[-size:]) == title and all(
            w in _ORG_TITLE_PREFIXES for w in words[:-size]
        ):
            return True
    return False


@dataclass(slots=True)
class Person:
    """A person or organisation seen in the article."""

    name: str
    role: str | None = None
    is_org: bool = False
    # Every role the article tied to this person by name ("Prime Minister Tony Blair", "the
    # chancellor, Gordon Brown,"): the offices a later role noun may stand for.
    offices: list[str] = field(default_factory=list)
    # "m" or "f" once an honorific said so ("Mr Blair", "Mrs Howard"); None while unknown.
    gender: str | None = None


@dataclass(slots=True)
class Discourse:
    """The state of one article read so far: who was named, who was the last subject."""

    people: dict[str, Person] = field(default_factory=dict)
    by_surname: dict[str, str] = field(default_factory=dict)
    # Organisations go by their first word after the first mention: "Castellan" for "Castellan Biologics".
    by_first_word: dict[str, str] = field(default_factory=dict)
    last_subject: str | None = None
    last_speaker: str | None = None
    # Everyone who has spoken so far in the article.
    spoken: set[str] = field(default_factory=set)
    last_spokes: str | None = None
    last_org: str | None = None
    # The last organisation seen speaking: whom a "chief executive" with no organisation works for.
    acting_org: str | None = None
    # Kinds of each organisation ("airline", "union"), in order of mention.
    org_kinds: dict[str, set[str]] = field(default_factory=dict)
    # Who issued the documents mentioned ("report" -> "Global Canopy Observatory").
    documents: dict[str, str] = field(default_factory=dict)
    # The article (quotes masked) and where the sentence being read ends, for descriptors
    # whose referent is named just after them.
    text: str = ""
    ahead_at: int = 0
    # The forms the article used for each person or organisation, in order of first use:
    # "Tony Blair", "Mr Blair", "the prime minister" (see :meth:`note_alias`).
    aliases: dict[str, dict[str, None]] = field(default_factory=dict)
    # Capitalised phrases whose first words describe the person named after them, as the named-
    # entity recogniser read them: "Producer Kevin Wallace" -> "Kevin Wallace" (see described_name).
    described: dict[str, str] = field(default_factory=dict)
    # Names the recogniser read as a person's where the article introduced them (no title, role
    # or honorific said so).
    recognised: set[str] = field(default_factory=set)
    # The reader's look-up of the last organisation the recogniser found as a subject in the
    # sentences just before; None outside an article reader.
    recognised_org: Callable[[], str | None] | None = None
    # Speakers the article gave a plural verb ("The Tories claim"): never "he" or "she".
    groups: set[str] = field(default_factory=set)

    def register(
        self, name: str, role: str | None = None, *, org: bool | None = None, honorific: str | None = None
    ) -> Person:
        """Record a mention and return the person it denotes, merging surname back-references.

        ``honorific`` ("Mrs") keeps a surname apart from a person of the other gender: "Mrs
        Howard" is not the "Michael Howard" the article called "Mr Howard".
        """
        name = clean_phrase(name)
        canonical = self.canonical(name, honorific)
        person = self.people.get(canonical)
        if person is None:
            is_org = is_org_like(canonical) if org is None else org
            person = Person(canonical, None, is_org)
            self.people[canonical] = person
            tokens = canonical.split()
            if not is_org and len(tokens) >= 2:
                self.by_surname.setdefault(tokens[-1], canonical)
        self.note_alias(person.name, person.name)
        self.note_alias(person.name, name)
        gender = honorific_gender(honorific)
        if gender and not person.is_org and person.gender is None:
            person.gender = gender
        if role and not person.is_org and role not in person.offices:
            person.offices.append(role)
            self.note_alias(person.name, role_alias(role))
        if person.is_org and len(person.name.split()) >= 2 and person.name.split()[-1][:1].isupper():
            # "Camden" for Camden Council; a body only described ("Chinese foreign ministry") has
            # no short name: "the Chinese commerce ministry" is another one.
            self.by_first_word.setdefault(person.name.split()[0], person.name)
        if role and not person.role:
            person.role = role if person.is_org else self.affiliated(role)
            if SPOKES_WORDS.intersection(role.lower().split()):
                self.last_spokes = person.name
        elif role and person.role and not person.is_org and len(role) > len(person.role) \
                and role.lower().endswith(" " + person.role.lower()) \
                and role.split()[0].lower() not in _POSSESSIVES | _DETERMINERS:
            person.role = role  # "minister", then "tourism minister": the fuller form of the same office
        if person.is_org:
            self.last_org = person.name
            kinds = self.org_kinds.pop(person.name, set())
            kinds.update(w.lower() for w in person.name.split() if w.lower() in _ORG_KIND_WORDS)
            self.org_kinds[person.name] = kinds  # re-inserted: the dict stays in order of last mention
        return person

    def mark_org(self, name: str) -> None:
        """Take a one-word speaker registered as a person for the company it is ("Microsoft said").

        A company: "the company" and "it" may point back to it, "the union" or "the newspaper" not.
        """
        self.people[name].is_org = True
        self.register_org(name, "company")

    def register_org(self, name: str, kind: str | None = None) -> Person:
        """Record an organisation, with the kind its classifier noun gives ("airline SkyBridge")."""
        person = self.register(name, org=True)
        if kind:
            self.org_kinds.setdefault(person.name, set()).add(kind.lower())
        return person

    def org_of_kind(self, kind: str, *, recognised: bool = False) -> str | None:
        """Return the last organisation of this kind ("the airline"); any one for "the company".

        ``recognised``: for "the company" with no organisation registered, the one the recogniser
        found just before (:meth:`recognised_org_before`).
        """
        kind = kind.lower()
        if kind in GENERIC_ORG_DESCRIPTORS:
            return self.last_org or (self.recognised_org_before() if recognised else None)
        accepted = KIND_EQUIVALENTS.get(kind, frozenset()) | {kind}
        if kind in BUSINESS_DESCRIPTORS:
            accepted |= {"company"}  # a company the recogniser named, with no kind of its own
        for name in reversed(self.org_kinds):
            if accepted & self.org_kinds[name]:
                return name
        if self.last_org and not self.org_kinds.get(self.last_org):
            return self.last_org  # an organisation of unknown kind may well be one
        return None

    def recognised_org_before(self) -> str | None:
        """The organisation the recogniser found as a subject just before, when none was registered.

        For "the company" (any kind of business) only: "Samsung has said it will recall ... The
        company said": no organisation word marks Samsung, the recogniser does. "The party",
        "the newspaper" or "it" need an organisation of their kind, which a name alone does not
        say (a reading of the BBC changes found "the newspaper" given to the company the paper
        wrote about, and "it" to the paper that printed a book).
        """
        name = self.recognised_org() if self.recognised_org is not None else None
        return self.register_org(name, "company").name if name else None

    def shown_person(self, name: str, *, by_speaking: bool = True) -> bool:
        """Whether the article has shown ``name`` to be a person's.

        By a role or an office, an honorific, the recogniser's PERSON where it was introduced, or
        (``by_speaking``) words of theirs just before; a title ("Wolf Brother") or a paper is no one.
        """
        known = self.people.get(name)
        return known is not None and not known.is_org and bool(
            known.role or known.offices or known.gender or name in self.recognised
            or (by_speaking and name == self.last_speaker))

    def org_named_before(self, word: str, position: int) -> str | None:
        """Return the last organisation named before ``position`` whose name holds ``word``.

        "The Bank said" after "the Bank of England", "the Department" after "the Justice
        Department": a capitalised head alone is the short form of the name given before.
        """
        found = None
        for match in _ORG_NAME_RE.finditer(self.text, 0, position):
            words = match.group(0).split()
            if words[0] in NOT_NAME_WORDS:
                words = words[1:]
            if len(words) > 1 and word in words:
                found = " ".join(words)
        return self.register_org(found).name if found else None

    def org_ending_with(self, word: str) -> str | None:
        """The organisation registered last whose name ends with ``word`` ("Executive").

        An organisation, or a name that opens with a place's adjective and was never shown to be
        a person's ("The Scottish Executive said" registers a speaker no organisation word marks;
        "Charlotte Church" is no church): it is an organisation from then on, of no known kind
        ("the company" does not point to it).
        """
        word = word.lower()
        for person in reversed(self.people.values()):
            if " " in person.name and person.name.split()[-1].lower() == word and (
                    person.is_org or is_org_like(person.name) or (
                        person.name.split()[0] in DEMONYMS
                        and not self.shown_person(person.name, by_speaking=False))):
                person.is_org = True
                return self.register_org(person.name).name
        return None

    def org_called(self, name: str, kind: str) -> str:
        """The organisation registered under ``name`` in any case, else ``name`` registered now.

        "a spokesman for the ministry of energy" after "the Ministry of Energy said" is that one;
        "Norland's trade ministry" is itself, not the last ministry named.
        """
        lower = name.lower()
        named = next((n for n in reversed(self.org_kinds) if n.lower() == lower), None)
        return named or self.register_org(name, kind).name

    def org_named_ahead(self, kind: str) -> str | None:
        """Return an organisation of this kind named shortly after ("their union ... Workers Union")."""
        kind = kind.lower()
        window = self.text[self.ahead_at : self.ahead_at + MAX_CATAPHORA_CHARS]
        for match in CLASSIFIED_ORG_RE.finditer(window):
            if match.group("kind").lower() == kind:
                return self.register_org(match.group("name"), kind).name
        for match in _ORG_NAME_RE.finditer(window):
            if match.group(0).split()[-1].lower() == kind:
                return self.register_org(match.group(0)).name
        return None

    def canonical(self, name: str, honorific: str | None = None) -> str:
        """Map "Putin" or "Vladimir Putin" to the fullest form of the name seen so far.

        Titles that belong to names count: "Sir Edward" is the Sir Edward Leigh named before,
        "Falconer" the Lord Falconer, and "Edward Leigh" the Sir Edward Leigh.
        """
        name = clean_phrase(name)
        name = self.described.get(name, name)
        gender = honorific_gender(honorific)
        plain = honorific.rstrip(".") if honorific and honorific.rstrip(".") in PLAIN_HONORIFICS else None

        def other_gender(person: Person) -> bool:
            return gender is not None and person.gender is not None and person.gender != gender

        if plain and " " not in name and f"{plain} {name}" in self.people:
            return f"{plain} {name}"
        if name in self.people and not other_gender(self.people[name]):
            return name
        tokens = name.split()
        title = tokens[0] if len(tokens) > 1 and tokens[0] in NAME_TITLES else None
        core = tokens[1:] if title else tokens
        if len(tokens) == 1 and name in self.by_first_word:
            return self.by_first_word[name]
        if title and len(core) == 1:
            # "Sir Edward": a knight goes by title and first name; a lord by title and surname.
            for person in reversed(self.people.values()):
                words = person.name.split()
                if not person.is_org and words[0] == title and len(words) > 2 and words[1] == core[0]:
                    return person.name
        full = self.by_surname.get(core[-1]) if core else None
        if full is not None and not other_gender(self.people[full]) and not (
            plain and full.split()[0] in NAME_TITLES  # a knight or a lord is never "Mr Blair"
        ):
            full_core = full.split()
            if full_core[0] in NAME_TITLES and len(full_core) > 1:
                full_core = full_core[1:]
            first = full_core[0]
            # "Vladimir Putin" -> itself; "Lyudmila Putina" is someone else; "A. Smith" may match.
            if len(core) == 1 or core[0] == first or core[0].rstrip(".") == first[0]:
                return full if len(full.split()) >= len(tokens) else name
        if plain and len(tokens) == 1:
            # A surname known only with its honorific keeps it: "Mrs Howard" is not "Howard",
            # whom other articles may know as "Mr Howard".
            return f"{plain} {name}"
        return name

    def role_of(self, name: str) -> str | None:
        """Return the role recorded for a canonical name, if any."""
        person = self.people.get(name)
        return person.role if person else None

    def by_role(self, role_phrase: str) -> str | None:
        """Return the one person the article tied to the office ``role_phrase`` names, if any.

        "the prime minister" is Tony Blair once the article said "Prime Minister Tony Blair" or
        "the prime minister, Tony Blair,"; it is nobody when only "Deputy Prime Minister John
        Prescott" was named (another office), or when two people hold offices it could name.
        """
        holders = [
            person.name for person in self.people.values()
            if not person.is_org and any(holds_office(office, role_phrase) for office in person.offices)
        ]
        return holders[0] if len(holders) == 1 else None

    def note_alias(self, name: str, surface: str) -> None:
        """Record ``surface`` ("Mr Blair", "the prime minister") as a form used for ``name``."""
        alias = _SPACE_RE.sub(" ", surface).strip(" ,")
        alias = _POSSESSIVE_RE.sub("", alias)
        if alias and alias.lower() not in PRONOUN_WORDS:
            self.aliases.setdefault(name, {})[alias] = None

    def note_surface(self, name: str, surface: str) -> None:
        """Record the aliases a speaker phrase gives ``name``: its name with honorific, its role.

        "Prime Minister Tony Blair" gives "Tony Blair" and "the prime minister"; "Mr Blair" gives
        itself; "the prime minister" (a role noun the article resolved) gives itself.
        """
        surface = _SPACE_RE.sub(" ", surface).strip(" ,")
        if not surface or surface.lower() in PRONOUN_WORDS:
            return
        person = self.people.get(name)
        match = PERSON_RE.fullmatch(surface) or PERSON_RE.fullmatch(_DETERMINER_RE.sub("", surface))
        if match is not None:
            hon = match.group("hon2") or match.group("hon")
            shown = titled_name(match)
            if hon and hon.rstrip(".") not in NAME_TITLES:
                shown = f"{hon.rstrip('.')} {shown}"
            if self.canonical(titled_name(match), hon) == name or shown == name:
                self.note_alias(name, shown)
            role = match.group("role")
            if role and person is not None and not person.is_org:
                self.note_alias(name, role_alias(clean_phrase(role)))
            return
        words = surface.split()
        if person is not None and not person.is_org and words[0].lower() == "the" and len(words) > 1 \
                and words[-1][0].islower() and _TITLE_RE.search(" ".join(words[1:]).title()):
            self.note_alias(name, role_alias(" ".join(words[1:])))
        elif person is not None and person.is_org and clean_phrase(surface) == name:
            self.note_alias(name, surface)

    def aliases_of(self, name: str) -> list[str]:
        """Return the forms the article used for ``name``, the name itself first."""
        return [name, *(a for a in self.aliases.get(name, {}) if a != name)]

    def affiliated(self, role: str) -> str:
        """Return ``role`` with the acting organisation added when it is a title that names none.

        "chief executive" becomes "chief executive of Northfield Steel" once Northfield Steel has
        been seen speaking; without an organisation seen speaking the role is left as it is.
        """
        if self.acting_org and organisation_title(role):
            return f"{role} of {self.acting_org}"
        return role

    def note_speaker(self, name: str | None) -> None:
        """Record who spoke last; an organisation speaking becomes the acting organisation."""
        self.last_speaker = name
        if name:
            self.spoken.add(name)
        # Only a named organisation: "the company" left unresolved names nobody.
        if name and name[0].isupper() and name in self.people and self.people[name].is_org:
            self.acting_org = name

    def note_subject(self, name: str | None) -> None:
        """Make ``name`` the antecedent of the next pronoun, when it is a person.

        An office left as the speaker ("the bishop said ... he said") is a person too: without it
        the pronoun would reach back past it to whoever was named before ("Despite enjoying Dan
        Brown's novel, the bishop said"). When the person named before has spoken, the office is by
        news convention that person again ("Ms Hewitt said ... The minister added ... She said"),
        who stays the antecedent.
        """
        if name in self.groups:
            return
        if name and name in self.people and not self.people[name].is_org:
            self.last_subject = name
        elif name and is_office(name) and (self.last_subject is None or self.last_subject not in self.spoken):
            self.last_subject = name


# Words before an office that make it another office: a deputy prime minister is not "the prime
# minister", a shadow chancellor not "the chancellor", a former president not "the president".
_OTHER_OFFICE_WORDS = frozenset(
    "former ex then deputy vice assistant shadow junior acting prime lord under co chief".split()
)
#: Personal pronouns, which name no one by themselves.
PRONOUN_WORDS = frozenset({"he", "she", "they", "we", "it", "i", "you"})
_LOWER_ROLE_WORDS = frozenset(w.lower() for t in (*TITLE_WORDS, *ROLE_PREMODIFIERS) for w in t.split())
# Honorifics that come before a surname alone ("Mr Blair"); a surname known only with one keeps it.
PLAIN_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss"})
# The honorifics that say a person's gender; Dr, Prof and the like do not.
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lord": "m", "baron": "m",
                     "dame": "f", "lady": "f", "baroness": "f"}


def honorific_gender(honorific: str | None) -> str | None:
    """Return "m" or "f" for an honorific that says a gender ("Mr", "Mrs."), else None."""
    return _HONORIFIC_GENDER.get(honorific.rstrip(".").lower()) if honorific else None


def _office_words(role: str) -> list[str]:
    role = _POSSESSIVE_RE.sub("", clean_phrase(role))
    # "chief executive of Northfield Steel": the office is what comes before its organisation.
    role = re.split(r"\s+(?:of|for|at)\s+", role, maxsplit=1)[0]
    return [w.strip(APOS).lower() for w in role.split() if not w.endswith(("'s", "’s"))]


def holds_office(role: str, phrase: str) -> bool:
    """Whether the role the article gave someone is the whole office ``phrase`` names.

    "Prime Minister" and "Russian President" hold "the prime minister" and "the president";
    "Deputy Prime Minister", "Shadow Chancellor" and "former President" do not hold "the
    prime minister", "the chancellor" and "the president", and "Prime Minister" does not
    hold "the minister".
    """
    wanted = _office_words(phrase)
    words = _office_words(role)
    if not wanted or len(words) < len(wanted) or words[len(words) - len(wanted) :] != wanted:
        return False
    return not any(w.strip("-") in _OTHER_OFFICE_WORDS for w in words[: len(words) - len(wanted)])


#: One-word titles, lowercased: the heads a description of a person ends with ("the coach").
TITLE_HEADS = frozenset(t.lower() for t in TITLE_WORDS if " " not in t)


_AGE_RE = re.compile(r"\d+-year-old")


def describes_person(phrase: str) -> bool:
    """Whether a definite description names a person by what they are, not by an office.

    "the defender", "the veteran striker", "the 25-year-old", "the 60-year-old actor": the
    person is someone the article named before, as "he" would be. "the chancellor" is an office
    (:data:`OFFICE_WORDS`), kept for the store to join to its holder; "the spokesman" speaks for
    someone else.
    """
    raw = clean_phrase(phrase).split()
    if len(raw) > 1 and all(w[:1].isupper() for w in raw[1:]) and raw[-1][1:].islower():
        return False  # "the Scottish Executive" is a name; "the Salford MP" describes one
    words = [w.lower() for w in raw]
    if not words or len(words) > 3 or any(w.endswith(("'s", "’s", "s'", "s’")) for w in words):
        return False  # "the men's solicitor" is someone else's, never the men
    if any(_AGE_RE.fullmatch(w) for w in words):
        return True
    head = words[-1]
    return head in TITLE_HEADS and head not in OFFICE_WORDS and head not in SPOKES_WORDS


def is_office(name: str) -> bool:
    """Whether a speaker is an office left unresolved ("chancellor", "foreign secretary")."""
    words = name.split()
    return bool(words) and name[:1].islower() and words[-1] in TITLE_HEADS \
        and words[0] not in _DETERMINERS | _POSSESSIVES


def office_phrase(phrase: str) -> str | None:
    """Return a capitalised office after a determiner as a role noun, else None.

    "The Foreign Secretary" and "the Chancellor" are the offices "the foreign secretary" and "the
    chancellor", not names; "The Lord Chancellor" (a title) and "The Times" (no office) are not.
    """
    words = phrase.split()
    if len(words) < 2 or words[0].lower() not in _DETERMINERS | _POSSESSIVES:
        return None
    rest = words[1:]
    if rest[-1].lower() not in TITLE_HEADS or not all(w.lower() in _LOWER_ROLE_WORDS for w in rest):
        return None
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in rest)])


def role_alias(role: str) -> str:
    """Return how an article names someone by their role: "Prime Minister" -> "the prime minister"."""
    words = clean_phrase(role).split()
    while words and words[0].lower() in _POSSESSIVES | _DETERMINERS:
        words = words[1:]  # "his party leader" is "the party leader"
    words = [RANK_ABBREVIATIONS.get(w.rstrip("."), w) for w in words]  # "Gen" is "the general"
    shown = " ".join(w.lower() if w.lower() in _LOWER_ROLE_WORDS and not w.isupper() else w for w in words)
    return f"the {shown}" if shown else ""


def person_mentions(
    text: str, offset: int = 0, matches: Iterable[re.Match[str]] | None = None
) -> list[tuple[int, int, str, str | None, str | None]]:
    """Return (start, end, name, role, honorific) of the person-like mentions in ``text``.

    ``matches`` are :data:`PERSON_RE` matches found already (the extractor runs it once per
    sentence and shares the result with entity finding); ``offset`` is added to their positions.
    """
    found: list[tuple[int, int, str, str | None, str | None]] = []
    for match in PERSON_RE.finditer(text) if matches is None else matches:
        name = titled_name(match)
        role = match.group("role")
        hon = match.group("hon")
        tokens = match.group("name").split()
        if not role and not hon and (tokens[0] in DEMONYMS or len(tokens) < 2):
            # A lone capitalised word is a person only once known; the caller checks that.
            if tokens[0] in DEMONYMS and len(tokens) > 1:
                name = " ".join(tokens[1:])
            else:
                found.append((offset + match.start("name"), offset + match.end(), name, None, None))
                continue
        if role:
            role = clean_phrase(role)
        found.append((offset + match.start(), offset + match.end(), name, role, hon or match.group("hon2")))
    return found


def spoken_through(phrase: str) -> str | None:
    """Return the spokesperson word when ``phrase`` is someone's unnamed spokesperson, else None.

    "Mr Blair's official spokesman", "a spokeswoman for Royal Mail", "the spokesman" and "her
    office" speak for a principal; "Lib Dem home affairs spokesman Mark Oaten" is Mark Oaten himself.
    """
    words = [w.strip(",.").lower() for w in phrase.split()]
    if words and words[-1] in SPOKES_WORDS:
        return words[-1]
    if len(words) > 1 and words[-1] == "office" and (
            words[-2] in ("his", "her", "its", "their") or words[-2].endswith(("'s", "’s", "'", "’"))):
        return "office"  # "her office", "the prime minister's office" speak for their principal
    for word, after in zip(words, words[1:], strict=False):
        if word in SPOKES_WORDS and after == "for":
            return word
    return None


def names_principal(phrase: str) -> bool:
    """Whether a spokesperson phrase says whom it speaks for ("Mr Blair's", "for Royal Mail")."""
    words = phrase.split()
    return any(w.endswith(("'s", "’s", "'", "’")) for w in words) or "for" in (w.lower() for w in words) \
        or any(w[:1].isupper() for w in words[1:])


def document_head(word: str) -> str | None:
    """The document a word names, singular ("reports" -> "report"), or None."""
    word = word.lower()
    if word in DOCUMENT_WORDS:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in DOCUMENT_WORDS else None


def _other_description(phrase: str, named: str) -> bool:
    """Whether two described bodies of one kind are told apart by their own words.

    "defence ministry" and "Russian foreign ministry" end in the same kind with other lowercase
    words before it: two ministries. A body with a name of its own ("Camden Council", "the
    International Atomic Energy Agency") may be described in any words ("the Labour-run council",
    "the UN nuclear watchdog"): only two descriptions are compared.
    """
    mine, theirs = phrase.lower().split(), named.split()
    if len(mine) < 2 or len(theirs) < 2 or not theirs[-1][:1].islower() or mine[-1] != theirs[-1].lower():
        return False
    own = {w for w in phrase.split()[:-1] if w[:1].islower() and w not in _DETERMINERS}
    other = {w for w in theirs[:-1] if w[:1].islower()}
    return bool(own) and bool(other) and own != other


def resolve_descriptor(discourse: Discourse, phrase: str) -> tuple[str | None, str | None]:
    """Normalise a descriptive speaker ("a Kremlin spokesman", "the company", "officials")."""
    original_words = phrase.lower().split()
    phrase = clean_phrase(phrase)
    lower = phrase.lower()
    words = lower.split()
    if not words:
        return None, None
    if words[0] in _POSSESSIVES and words[-1] in ORG_DESCRIPTORS:
        # "their union": the possessive points at an organisation, it is no part of its name.
        phrase = " ".join(phrase.split()[1:])
        lower = phrase.lower()
        words = words[1:]
    head = words[-1]
    if head in SPOKES_WORDS or " for " in f" {lower} " and words[0] in SPOKES_WORDS:
        # "a spokesman for Boeing" / "Boeing's spokesman" / "a Kremlin spokesman": speaks for the principal.
        principal = None
        if " for " in f" {lower} ":
            principal = clean_phrase(phrase[lower.index(" for ") + 5 :])
        elif len(words) > 1:
            # "Tony Blair's official spokesman": the principal is the name, without the words
            # describing the spokesman ("official", "chief") nor its role ("Prime Minister").
            before = phrase.split()[:-1]
            while len(before) > 1 and before[-1][:1].islower():
                before.pop()
            principal = clean_phrase(" ".join(before))
            as_person = PERSON_RE.fullmatch(principal)
            if as_person is not None:
                principal = titled_name(as_person)
        spokes = phrase.split()[-1] if head in SPOKES_WORDS else phrase.split()[0]
        if principal and principal[0].isupper():
            name = discourse.canonical(principal)
            discourse.register(name)
            return name, spokes.lower()
        if principal and " of " in principal and principal.islower() and \
                _ORG_DESCRIPTOR_RE.fullmatch(principal.split(" of ")[0].split()[-1]):
            # "a spokesman for the ministry of energy": the phrase names which body, so it is not
            # the last of its kind ("the department of health" after the Department for Education).
            return discourse.org_called(principal, principal.split(" of ")[0].split()[-1]), spokes.lower()
        if principal and _ORG_DESCRIPTOR_RE.search(principal):
            named = discourse.org_of_kind(principal.split()[-1])
            if named:
                return named, spokes.lower()
        if principal and " " not in principal and principal.islower():
            # "the executive spokeswoman" after "the Scottish Executive said": the short form of
            # an organisation the article named.
            named = discourse.org_ending_with(principal)
            if named:
                return named, spokes.lower()
        if discourse.last_spokes:
            return discourse.last_spokes, discourse.role_of(discourse.last_spokes)
        if principal is None and discourse.last_org:
            # "..., a spokeswoman said": by news convention, for the organisation the story is about.
            return discourse.last_org, spokes.lower()
        return None, None
    if head in _GROUPS or lower in _GROUPS:
        return phrase, None
    if len(words) == 1 and head not in DOCUMENT_WORDS and document_head(head):
        # "according to reports", "Surveys say": documents in general, which no one here is
        # said to have issued (a plural with a modifier, "Company filings", names its kind).
        return None, None
    if head in DOCUMENT_WORDS and len(words) <= 2:
        # "The report said": whoever issued it, else the organisation that spoke last. A person
        # who spoke last did not issue it by that alone: "The paper said" after Mr Blair spoke
        # is a newspaper's claim, not his.
        owner = phrase.split()[0] if len(words) == 2 else ""
        if owner[:1].isupper() and words[0] not in _POSSESSIVES and \
                _POSSESSIVE_RE.sub("", owner) not in NOT_NAME_WORDS:  # "Wednesday's report"
            # "the WEF report", "Kok's report", "a Mori survey": the phrase names its issuer.
            named = discourse.canonical(_POSSESSIVE_RE.sub("", owner))
            discourse.register(named)
            discourse.documents[head] = named
            return named, discourse.role_of(named)
        kind = _POSSESSIVE_RE.sub("", words[0]) if len(words) == 2 else ""
        if kind and _ORG_DESCRIPTOR_RE.fullmatch(kind):
            # "the company's statement", "a company statement", "the party memo": the body of that
            # kind the article named issued it.
            named_org = discourse.org_of_kind(kind)
            if named_org:
                return named_org, None
        last = discourse.people.get(discourse.last_speaker or "")
        issuer = discourse.documents.get(head) or (last.name if last is not None and last.is_org else None)
        # A document no one is known to have issued names no speaker: "report" would be one
        # speaker across every article that cites a report.
        return (issuer, discourse.role_of(issuer)) if issuer else (None, None)
    if _ORG_DESCRIPTOR_RE.fullmatch(head) and len(words) <= 3:
        determiner = original_words[0] if original_words else ""
        if determiner in _DETERMINERS - {"the"}:
            # "A court has heard": an indefinite introduces a new referent, it does not point back.
            return discourse.register_org(phrase, head).name, None
        owner = phrase.split()[0]
        if len(words) > 1 and owner[:1].isupper() and _POSSESSIVE_RE.search(owner) \
                and head not in BUSINESS_DESCRIPTORS and phrase.split()[-1][:1].islower():
            # "Norland's trade ministry": the owner's name says which one it is, not the last
            # ministry named. Other capitals only describe ("the Labour-run council", "the City
            # watchdog", "the Swedish firm" point back to the one named before).
            return discourse.org_called(phrase, head), None
        # "the company": the one named before; "his management company" is another one.
        named = discourse.org_of_kind(head, recognised=determiner == "the")
        if named is not None and _other_description(phrase, named):
            # "the Russian defence ministry" after "the Russian foreign ministry": another one,
            # unless one named before fits ("the foreign ministry" after both).
            named = next((n for n in reversed(discourse.org_kinds) if head in discourse.org_kinds[n]
                          and not _other_description(phrase, n)), None)
        if named is None and determiner in _POSSESSIVES:
            named = discourse.org_named_ahead(head)
        if named is None:
            named = discourse.register_org(phrase, head).name
        return named, None
    if _TITLE_RE.search(phrase) or _TITLE_RE.search(phrase.title()):
        named = discourse.by_role(phrase)
        if named:
            return named, discourse.role_of(named)
        # "the chairman said" with nobody of that title named: the acting organisation's chairman.
        role = discourse.affiliated(phrase)
        return phrase, role if role != phrase else None
    return phrase, None
