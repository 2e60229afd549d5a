"""One speaker identity per person across articles, from the speaker names and aliases stored.

Extraction names a speaker the way its article does: "Tony Blair" where the article gives the
full name, "Blair" where it only says "Mr Blair". Here the stored names are grouped into
people: a surname ("Blair", known from an alias as "Mr Blair") joins the one full name with that
surname ("Tony Blair"), and "Edward Leigh" joins "Sir Edward Leigh". Honorifics say a gender
where they can, and a "Mrs Howard" never joins a "Michael Howard" known as "Mr Howard".

Pure functions over (name, aliases) pairs, so the store's queries and the tests share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Honorifics that come before a surname and are no part of the name ("Mr Blair" is Blair).
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof"})
# Titles that are part of how a person is named ("Sir Edward Leigh", "Lord Falconer").
_NAME_TITLES = frozenset({"sir", "dame", "lord", "lady", "baroness", "baron"})
_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lord": "m", "baron": "m",
           "dame": "f", "lady": "f", "baroness": "f"}
# Offices and ranks said before a name ("President Musharraf", "Foreign Secretary Jack Straw",
# "Det Supt Smith"), with the words that make up multi-word offices and their British undotted
# abbreviations: no part of the name, like an honorific. Royal and church titles are left out:
# they come before a forename ("King Abdullah", "Pope John Paul"), so the word after is no surname.
_OFFICE_TITLES = frozenset(
    """president vice premier prime minister secretary chancellor foreign home defence defense
    health justice general gen attorney senator sen governor gov mayor ambassador commissioner
    chairman chairwoman chair speaker judge colonel col lieutenant lt major maj captain capt
    brigadier brig corporal cpl sergeant sgt admiral adm commander commodore marshal
    inspector insp superintendent supt detective det chief constable councillor cllr
    representative rep deputy acting shadow former state""".split()
)
_SPACE_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return the form look-ups compare: case folded, blanks collapsed."""
    return _SPACE_RE.sub(" ", text).strip().casefold()


def _word(token: str) -> str:
    return token.rstrip(".").casefold()


def gender_of(forms: Iterable[str]) -> str | None:
    """Return "m" or "f" when the honorifics among ``forms`` agree on one, else None."""
    found = {_GENDER[_word(f.split()[0])] for f in forms if f.split() and _word(f.split()[0]) in _GENDER}
    return found.pop() if len(found) == 1 else None


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


# Honorifics used with a surname alone; a knight or a lord is never called by one ("Mr Blair").
_PLAIN = frozenset({"mr", "mrs", "ms", "miss"})


@dataclass(frozen=True)
class _Name:
    """What a speaker name says about the person: their name words, an honorific or title."""

    core: tuple[str, ...]
    honorific: str | None

    @property
    def full(self) -> bool:
        return len(self.core) >= 2

    @property
    def surname(self) -> str | None:
        return self.core[-1] if self.core else None


def parse_name(name: str) -> _Name:
    """Read a speaker name: "Tony Blair", "Sir Edward Leigh", "Blair", "Mr Blair", "prime minister"."""
    words = name.split()
    if not words or not all(w[:1].isupper() for w in words):
        return _Name((), None)  # a role ("prime minister") or a group: nobody's name
    honorific = _word(words[0]) if _word(words[0]) in _HONORIFICS | _NAME_TITLES else None
    core = tuple(_word(w) for w in (words[1:] if honorific else words))
    if honorific in _HONORIFICS and len(core) > 1:
        return _Name((), None)  # "Mr Tony Blair" is not how names are stored
    if honorific is None:
        # "General Musharraf" is Musharraf, said with his rank. A title word alone ("Major",
        # "Chancellor") stays what it was: it may be a surname (John Major).
        office = 0
        while office < len(core) - 1 and core[office] in _OFFICE_TITLES:
            office += 1
        if office and not all(w in _OFFICE_TITLES for w in core):
            return _Name(core[office:], core[office - 1])
    return _Name(core, honorific)


def _office_said(name: str) -> bool:
    """Whether a name starts with an office or rank ("President Musharraf")."""
    honorific = parse_name(name).honorific
    return honorific is not None and honorific not in _HONORIFICS | _NAME_TITLES


def _said_with_title(aliases: Iterable[str], surname: str) -> bool:
    """Whether some alias is an honorific or title with this surname ("Mr Blair", "Lord Kinnock")."""
    for alias in aliases:
        parsed = parse_name(alias)
        if parsed.honorific and parsed.surname == surname:
            return True
    return False


@dataclass
class Identity:
    """One person: the name shown, every stored speaker name that is them, every alias."""

    name: str
    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None

    @property
    def surname(self) -> str | None:
        """The person's surname (case folded) when the shown name is a full name."""
        parsed = parse_name(self.name)
        return parsed.surname if parsed.full else None

    @property
    def titled(self) -> bool:
        """Whether the name carries a title that is part of it ("Sir Ian Blair")."""
        return parse_name(self.name).honorific in _NAME_TITLES


def identities(speakers: Iterable[tuple[str, Iterable[str]]]) -> list[Identity]:
    """Group stored speaker names (each with its aliases) into people.

    - The same name with and without its title is one person: "Edward Leigh" and "Sir Edward
      Leigh" (shown by the longer).
    - A surname ("Blair", "Mr Blair", "Lord Kinnock") joins a full name with that surname
      ("Tony Blair") when exactly one could be meant: its gender, where honorifics tell it on
      both sides, is the same; a "Mr" or "Mrs" is never a knight's or a lord's; and when several
      remain, the one whose own articles called it by that surname. Both sides must read as a
      person: the full name was once said with an honorific or title and its surname ("Mr
      Blair"), and the surname has one or was used for the full name. Otherwise it stays a
      speaker of its own: "Tories" does not join "Senior Tories", nor "Baroness Scotland"
      "Universities Scotland".
    - Anything else (roles, organisations, groups) is a person of its own.
    """
    table = {name: list(dict.fromkeys([name, *aliases])) for name, aliases in speakers}
    full: dict[tuple[str, ...], Identity] = {}
    alone: list[Identity] = []
    short: list[tuple[str, _Name]] = []
    # Shown by the longest name, but not by one that only adds an office ("President Pervez Musharraf").
    for name in sorted(table, key=lambda n: (_office_said(n), -len(n), n)):
        parsed = parse_name(name)
        if parsed.full:
            person = full.get(parsed.core)
            if person is None:
                person = full[parsed.core] = Identity(name)
            person.names.append(name)
            person.aliases.extend(table[name])
        elif parsed.surname is not None:
            short.append((name, parsed))
        else:
            alone.append(Identity(name, [name], list(table[name])))
    for person in full.values():
        person.aliases = list(dict.fromkeys(person.aliases))
        person.gender = gender_of(person.aliases)
    by_surname: dict[str, list[Identity]] = {}
    for person in full.values():
        by_surname.setdefault(person.surname or "", []).append(person)
    for name, parsed in short:
        forms = table[name]
        surname = parsed.surname or ""
        gender = gender_of([*forms, *([parsed.honorific] if parsed.honorific else [])])
        plain = parsed.honorific in _PLAIN or any(parse_name(f).honorific in _PLAIN for f in forms)
        titled_short = parsed.honorific is not None or _said_with_title(forms, surname)
        folded = {fold(f) for f in forms}
        candidates = [
            p for p in by_surname.get(surname, [])
            if _compatible(p.gender, gender) and not (plain and p.titled)
            and (p.titled or _said_with_title(p.aliases, surname))
        ]
        called = [p for p in candidates if any(fold(a) in folded for a in p.aliases)]
        target = candidates[0] if len(candidates) == 1 else called[0] if len(called) == 1 else None
        if target is not None and (titled_short or target in called):
            target.names.append(name)
            target.aliases.extend(a for a in forms if a not in target.aliases)
            target.gender = target.gender or gender
            continue
        alone.append(Identity(name, [name], list(forms), gender))
    people = [*full.values(), *alone]
    for person in people:
        # An article that took "Mrs Howard" for the Michael Howard others call "Mr Howard" does
        # not make her one of his names.
        person.aliases = [
            person.name,
            *(a for a in dict.fromkeys(person.aliases)
              if a != person.name and _compatible(person.gender, gender_of([a]))),
        ]
    return sorted(people, key=lambda p: p.name)


class AmbiguousName(LookupError):
    """A look-up form that names more than one person ("the prime minister", "Blair")."""

    def __init__(self, query: str, people: list[Identity]) -> None:
        """Keep the people the form could name, for the message."""
        self.people = people
        names = ", ".join(p.name for p in people[:10])
        super().__init__(f"{query!r} may be any of: {names}")


def find(people: list[Identity], query: str) -> Identity | None:
    """Return the person ``query`` names, by any alias, ignoring case; None when nobody.

    "tony blair", "mr blair" and "BLAIR" all find Tony Blair when no other Blair could be meant;
    raises :class:`AmbiguousName` when the form names several people.
    """
    wanted = fold(query)
    if not wanted:
        return None
    asked = gender_of([query])
    people = [p for p in people if _compatible(p.gender, asked)]
    for test in (
        lambda p: fold(p.name) == wanted,
        lambda p: any(fold(n) == wanted for n in p.names),
        lambda p: any(fold(a) == wanted for a in p.aliases),
    ):
        found = [p for p in people if test(p)]
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousName(query, found)
    parsed = parse_name(query.title() if query.islower() or query.isupper() else query)
    if parsed.full or parsed.surname is None:
        return None
    gender = gender_of([parsed.honorific] if parsed.honorific else [])
    plain = parsed.honorific in _PLAIN
    found = [p for p in people if p.surname == parsed.surname and _compatible(p.gender, gender)
             and not (plain and p.titled)]
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousName(query, found)
    return None


def office_of(person: Identity) -> str | None:
    """Return the alias an office speaker stands for ("prime minister" -> "the prime minister").

    Extraction leaves a role noun as the speaker ("prime minister") when its article never tied
    the office to a name; a person's name is capitalised, an office is not.
    """
    if parse_name(person.name).core or not person.name[:1].islower():
        return None
    return fold(f"the {person.name}")


def office_holders(people: Iterable[Identity]) -> dict[str, list[Identity]]:
    """Map each office alias ("the prime minister") to the people some article tied it to.

    An article ties an office to a person by naming them with it ("Prime Minister Tony Blair",
    "Tony Blair, the prime minister,"); extraction stores that as the person's alias "the prime
    minister", so an alias that is exactly the office, and nothing longer ("the deputy prime
    minister", "the former prime minister"), is the tie.
    """
    holders: dict[str, list[Identity]] = {}
    for person in people:
        if not parse_name(person.name).full:
            continue
        for alias in {fold(a) for a in person.aliases}:
            if alias.startswith("the "):
                holders.setdefault(alias, []).append(person)
    return holders


def name_forms(person: Identity) -> list[str]:
    """Return the forms that name ``person`` in a text: full names and honorific surnames.

    A bare surname ("Blair") is left out: it may be another person's ("Sir Ian Blair").
    """
    forms = []
    for form in dict.fromkeys([*person.names, *person.aliases]):
        parsed = parse_name(form)
        if parsed.full or (parsed.core and parsed.honorific):
            forms.append(form)
    return forms


def names_person(person: Identity, text: str) -> bool:
    """Whether ``text`` names ``person`` by a full name or an honorific surname, as written."""
    return any(
        re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", text) is not None for form in name_forms(person)
    )


def office_holder(holders: Iterable[Identity], text: str) -> Identity | None:
    """Return the one person tied to an office that an article's ``text`` names, else None.

    A claim said by "the prime minister" in an article that names Tony Blair, and no one else
    some article called the prime minister, is Tony Blair's; with two holders named, or none,
    the office stays its own speaker.
    """
    named = [person for person in holders if names_person(person, text)]
    return named[0] if len(named) == 1 else None
