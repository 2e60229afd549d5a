"""Bench corpora: a directory of articles read in place, or synthetic news articles made on the spot.

A directory is read exactly as ``factstream ingest`` reads it (``.txt`` with a title line, ``.json``,
``.jsonl``), so the bench replays what a user would ingest. The synthetic generator writes
BBC-like political and business news (attributed quotes, reported speech, numbers, hedges,
negations, restatements and contradictions across articles) for users without a corpus.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from factstream.ingest import Defaults, expand_paths, read_inputs
from factstream.schemas.records import Article

# The BBC corpus is from 2004-2005; relative dates ("on Monday") resolve against this.
CORPUS_DATE = datetime(2005, 1, 1, tzinfo=UTC)
# The reference corpus, next to the project (read in place, never copied).
REFERENCE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"
# Same limit as the worker's default: larger bodies would be dead-lettered, not benchmarked.
MAX_BODY_BYTES = 1_000_000


def load_corpus(path: Path, *, source: str = "BBC", limit: int | None = None, seed: int = 0) -> list[Article]:
    """Read the articles under ``path``; with ``limit``, an evenly spread subset of that size.

    The subset is taken across the whole sorted list (every category of the BBC corpus), not
    its first files, so a quick run sees the same mix of topics as a full one.
    """
    defaults = Defaults(source=source, published_at=CORPUS_DATE)
    articles = [
        i.article for i in read_inputs(expand_paths([str(path)]), defaults, MAX_BODY_BYTES) if i.article
    ]
    # A corpus may hold one story twice (the BBC set does): same id, so a replay, not new work.
    articles = list({a.id: a for a in articles}.values())
    if limit is not None and limit < len(articles):
        rng = random.Random(seed)
        picked = sorted(rng.sample(range(len(articles)), limit))
        articles = [articles[i] for i in picked]
    return articles


# -- synthetic articles -----------------------------------------------------------------------

_SPEAKERS = [
    ("Patricia Hewitt", "Trade Secretary", "Ms Hewitt"),
    ("Gordon Brown", "Chancellor", "Mr Brown"),
    ("Michael Howard", "Conservative leader", "Mr Howard"),
    ("Charles Kennedy", "Liberal Democrat leader", "Mr Kennedy"),
    ("Jack Straw", "Foreign Secretary", "Mr Straw"),
    ("Alan Milburn", "Labour election chief", "Mr Milburn"),
    ("Oliver Letwin", "shadow chancellor", "Mr Letwin"),
    ("Ruth Kelly", "Education Secretary", "Ms Kelly"),
    ("David Frost", "director general of the British Chambers of Commerce", "Mr Frost"),
    ("Digby Jones", "CBI director general", "Sir Digby"),
    ("Mervyn King", "Bank of England governor", "Mr King"),
    ("John Prescott", "Deputy Prime Minister", "Mr Prescott"),
    ("Charles Clarke", "Home Secretary", "Mr Clarke"),
    ("Sandra Gidley", "Liberal Democrat spokeswoman", "Ms Gidley"),
]
_BODIES = [
    "the Treasury",
    "the Home Office",
    "the NHS",
    "the European Commission",
    "the Bank of England",
    "the Department of Health",
    "Ofcom",
    "the Ministry of Defence",
    "the Electoral Commission",
    "British Airways",
    "Vodafone",
    "the Royal Mail",
    "the CBI",
    "the TUC",
]
_TOPICS = [
    ("maternity pay", "weeks"),
    ("police numbers", "officers"),
    ("council tax", "%"),
    ("hospital waiting lists", "patients"),
    ("university tuition fees", "pounds"),
    ("asylum applications", "applications"),
    ("pension credits", "pensioners"),
    ("broadband coverage", "%"),
    ("defence spending", "pounds"),
    ("school budgets", "pounds"),
    ("rail fares", "%"),
    ("fuel duty", "pence"),
]
_VERBS_UP = ["rise", "increase", "grow", "climb"]
_VERBS_DOWN = ["fall", "drop", "decline", "shrink"]
_HEDGES = ["could", "may", "might", "is expected to", "is likely to"]
_REPORTING = ["said", "told the BBC", "told reporters", "warned", "insisted", "claimed", "argued"]
_APPROVALS = [("approved", "rejected"), ("supported", "opposed"), ("accepted", "refused")]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _amount(rng: random.Random, unit: str) -> str:
    if unit == "%":
        return f"{rng.choice([2, 3, 4, 5, 7, 10, 12, 15, 20, 25])}%"
    if unit == "pounds":
        return rng.choice(["£1.2bn", "£400m", "£3bn", "£250m", "£1,400", "£75m", "£6.5bn"])
    if unit == "pence":
        return f"{rng.choice([1, 2, 3, 5])}p a litre"
    number = rng.choice([1200, 2500, 5000, 10000, 20000, 40000, 120000, 26, 13, 9])
    return f"{number:,} {unit}"


def _sentence(rng: random.Random, topic: tuple[str, str], speaker: tuple[str, str, str], year: int) -> str:
    name, role, short = speaker
    subject, unit = topic
    body = rng.choice(_BODIES)
    kind = rng.randrange(9)
    amount = _amount(rng, unit)
    if kind == 0:
        return (
            f'{short} {rng.choice(_REPORTING)}: "We will {rng.choice(_VERBS_UP)} {subject} by {amount} '
            f'by {year}, and that is a firm commitment."'
        )
    if kind == 1:
        return (
            f"{role.capitalize()} {name} said {subject} would {rng.choice(_VERBS_UP)} to {amount} by {year}."
        )
    if kind == 2:
        return (
            f"{body[0].upper()}{body[1:]} {rng.choice(_HEDGES)} cut {subject} by {amount}, "
            f"according to figures published on {rng.choice(_WEEKDAYS)}."
        )
    if kind == 3:
        yes, no = rng.choice(_APPROVALS)
        verb = yes if rng.random() < 0.5 else no
        return f"{name}, the {role}, {verb} the plan for {subject} on {rng.choice(_WEEKDAYS)}."
    if kind == 4:
        verb = rng.choice(_VERBS_DOWN)
        return f'"There will be no {verb} in {subject} this year," {short} {rng.choice(_REPORTING)}.'
    if kind == 5:
        return f"{subject.capitalize()} {rng.choice(_VERBS_DOWN)} by {amount} last year, {body} said."
    if kind == 6:
        return (
            f"{short} denied that {body} had {rng.choice(['cut', 'frozen', 'raised'])} {subject}, "
            f"saying the figures were {rng.choice(['misleading', 'wrong', 'out of date'])}."
        )
    if kind == 7:
        hedge = rng.choice(_HEDGES)
        return f"About {amount} were affected, {body} estimated, although the final number {hedge} be higher."
    return (
        f"{name} {rng.choice(_REPORTING)} that {body} did not plan to change {subject} before the election."
    )


def synthetic_articles(count: int, *, seed: int = 0, source: str = "synthetic") -> list[Article]:
    """Return ``count`` deterministic BBC-like articles (~15-25 sentences, many attributed claims).

    Topics and speakers recur across articles with the same or different figures, so the
    pipeline sees restatements (dedup work) and conflicting numbers (contradiction work)
    as in a real news stream.
    """
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        topic = rng.choice(_TOPICS)
        speakers = rng.sample(_SPEAKERS, 3)
        year = rng.choice([2005, 2006, 2007, 2008])
        paragraphs = []
        for _ in range(rng.randint(4, 7)):
            sentences = [
                _sentence(
                    rng, topic if rng.random() < 0.7 else rng.choice(_TOPICS), rng.choice(speakers), year
                )
                for _ in range(rng.randint(2, 5))
            ]
            paragraphs.append(" ".join(sentences))
        title = f"{speakers[0][2]} {rng.choice(['pledges', 'attacks', 'defends', 'unveils'])} {topic[0]} plan"
        articles.append(
            Article(
                source=source,
                url=f"https://synthetic.example/{seed}/{i}",
                title=title,
                body="\n\n".join(paragraphs),
                published_at=CORPUS_DATE + timedelta(hours=i),
                language="en",
            )
        )
    return articles
