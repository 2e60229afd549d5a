"""Speaker audit on BBC politics: junk speakers, and every claim a person's timeline would hold.

Extracts every article of a corpus folder (default ``../shared/corpus/bbc/politics``, read in
place), lists the distinct speakers and flags those that are not a person's or an organisation's
name, by kinds a fact-checker would reject:

- ``role``: an office left unresolved ("prime minister"), though the article named its holder;
- ``descriptor``: a lowercase phrase that is neither a group ("officials") nor a document
  ("the report"): "book", "figures released last week";
- ``adjective``: a nationality or other adjective ("British");
- ``place``: a name the entity recogniser reads as a place, building, event or title of a work
  in the sentence the speaker stands in ("Wembley", "New Yorker");
- ``fragment``: a name glued to a word before it ("Tories Ken Clarke"), or a forename or surname
  alone where the same article gave the full name ("Glenn" for Glenn Campbell).

``--offices`` prints every claim said by an office ("the prime minister") that the store's
``speakers`` and ``timeline`` give its holder across articles (:func:`office_holder`), to be read.

``--person "Tony Blair"`` prints every claim the person's identity holds across articles (the
timeline's claims) with the sentence it came from, to be read one by one.

BBC politics is the set the extraction rules were developed on: its figures are in-sample.

Run: ``.venv/bin/python -m factstream.bench.speaker_audit [--corpus DIR] [--person NAME] [--list]``.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from factstream.processors.extract import RuleBasedExtractor, parsing
from factstream.processors.extract.lexicon import DEMONYMS, DOCUMENT_WORDS, GROUP_WORDS, ORG_WORDS
from factstream.processors.extract.speakers import TITLE
from factstream.schemas.records import Article, Claim
from factstream.store.identities import find, identities, office_holder, office_holders, office_of

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc" / "politics"
# Publication date for relative dates; the corpus is from 2004-2005.
CORPUS_DATE = datetime(2005, 1, 1, tzinfo=UTC)
_TITLE_RE = re.compile(rf"\b{TITLE}\b", re.IGNORECASE)
# Labels of names that cannot speak: places, buildings, events, works, laws, nationalities.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "NORP", "LANGUAGE"})
_PARTICLES = frozenset("de van von der den bin al da dos del la le du ter of for the and &".split())


def load(corpus: Path) -> list[Article]:
    """Read the corpus: each file's first line is the title, the rest the body."""
    articles = []
    for path in sorted(corpus.glob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = raw.partition("\n")
        if body.strip():
            articles.append(Article(source="bbc", url=f"file://{path}", title=title.strip(),
                                    body=body.strip(), published_at=CORPUS_DATE, language="en"))
    return articles


def junk_kind(speaker: str, claim: Claim, article: Article, names_in_article: set[str]) -> str | None:
    """Return why ``speaker`` is no person's or organisation's name, or None when it is one."""
    words = speaker.split()
    head = words[-1].lower()
    if head in GROUP_WORDS or head.rstrip("s") in DOCUMENT_WORDS or head in DOCUMENT_WORDS:
        return None  # a group ("Treasury officials") or a document ("Hefce report") may speak
    if speaker[:1].islower():
        return "role" if _TITLE_RE.search(speaker) else "descriptor"
    if len(words) == 1 and (speaker in DEMONYMS or speaker.endswith(("ish", "ese", "ian", "ic"))
                            and speaker.lower() not in GROUP_WORDS):
        return "adjective"
    if any(w[:1].islower() and w.lower() not in _PARTICLES for w in words):
        return "fragment"
    if len(words) >= 3 and words[0] in ORG_WORDS | {w + "s" for w in ORG_WORDS}:
        return "fragment"
    if len(words) == 1 and any(
        n != speaker and (n.split()[0] == speaker or n.split()[-1] == speaker) and len(n.split()) >= 2
        and not any(w in ORG_WORDS for w in n.split()) for n in names_in_article
    ):
        return "fragment"
    text = article.body[claim.span[0] : claim.span[1]]
    at = text.find(speaker)
    if at >= 0:
        doc = parsing.entities(text)
        span = doc.char_span(at, at + len(speaker), alignment_mode="expand")
        labels = [t.ent_type_ for t in span or () if t.ent_type_]
        if labels and max(set(labels), key=labels.count) in _PLACE_LABELS:
            return "place"
    return None


def _office_claims(
    people: list, claims_of: dict[str, list[tuple[Article, Claim]]]
) -> list[tuple[str, Article, Claim]]:
    """Return the office claims the store's timeline gives a holder, as the store decides it."""
    holders = office_holders(people)
    found = []
    for person in people:
        office = office_of(person)
        if office is None or not holders.get(office):
            continue
        for name in person.names:
            for article, claim in claims_of.get(name, []):
                holder = office_holder(holders[office], f"{article.title}\n{article.body}")
                if holder is not None:
                    found.append((holder.name, article, claim))
    return found


def main() -> None:
    """Print the junk speakers by kind and, with ``--person``, that person's claims."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--person", default=None, help="print every claim of this person's identity")
    parser.add_argument("--list", action="store_true", help="print every junk speaker with its kind")
    parser.add_argument("--offices", action="store_true",
                        help="print every office claim that joins its holder across articles, to be read")
    args = parser.parse_args()
    articles = load(args.corpus)
    extractor = RuleBasedExtractor()
    found = extractor.extract_many(articles)
    speakers: dict[str, str | None] = {}
    aliases: dict[str, set[str]] = {}
    claims_of: dict[str, list[tuple[Article, Claim]]] = {}
    for article, claims in zip(articles, found, strict=True):
        names = {c.speaker for c in claims if c.speaker}
        for claim in claims:
            if not claim.speaker:
                continue
            aliases.setdefault(claim.speaker, set()).update(claim.speaker_aliases)
            claims_of.setdefault(claim.speaker, []).append((article, claim))
            if speakers.get(claim.speaker) is None:
                speakers[claim.speaker] = junk_kind(claim.speaker, claim, article, names)
    junk = {name: kind for name, kind in speakers.items() if kind}
    n_claims = sum(len(c) for c in found)
    attributed = sum(1 for c in found for claim in c if claim.speaker)
    print(f"articles: {len(articles)}, claims: {n_claims}, with a speaker: {attributed}")
    print(f"distinct speakers: {len(speakers)}, junk: {len(junk)} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(Counter(junk.values()).items()))})")
    junk_claims = sum(len(claims_of[name]) for name in junk)
    print(f"claims under a junk speaker: {junk_claims}")
    people = identities((name, sorted(a)) for name, a in aliases.items())
    print(f"identities: {len(people)}")
    role_claims = sum(len(claims_of[name]) for name, kind in junk.items() if kind == "role")
    resolved = _office_claims(people, claims_of)
    print(f"claims under an office (role speaker): {role_claims}, joining a holder across articles: "
          f"{len(resolved)}, left: {role_claims - len(resolved)}")
    if args.offices:
        for holder, article, claim in resolved:
            print(f"--- {Path(article.url or '').name} {claim.speaker!r} -> {holder!r}")
            print(f"    claim: {claim.text}")
    if args.list:
        for name, kind in sorted(junk.items(), key=lambda item: (item[1], item[0])):
            print(f"  {kind:10} {name!r} ({len(claims_of[name])})")
    if args.person:
        person = find(people, args.person)
        if person is None:
            print(f"{args.person!r}: nobody")
            return
        held = [pair for name in person.names for pair in claims_of.get(name, [])]
        print(f"{person.name}: {len(held)} claims under {person.names}; aliases {person.aliases}")
        for article, claim in sorted(held, key=lambda pair: (pair[0].url or "", pair[1].span)):
            source = Path(article.url or "").name
            print(f"--- {source} {claim.span} speaker={claim.speaker!r}")
            print(f"    claim: {claim.text}")
            print(f"    text:  {article.body[claim.span[0] : claim.span[1]]}")


if __name__ == "__main__":
    main()
