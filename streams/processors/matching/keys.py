"""Blocking keys: the few short strings under which related claims meet in the store.

The host stores each tracked claim under the keys of its first claim and, for a new claim,
fetches the most recent tracked claims sharing any key. So keys must be recall-oriented
(restatements and contradictions must share one) yet specific enough that each bucket's
most-recent window still holds the right claim.
"""

from __future__ import annotations

from factstream.processors.matching.features import ClaimFeatures, analyse
from factstream.schemas.records import Claim

# Entities turned into keys: the first few name what a claim is about; later ones are
# usually incidental ("..., in Brussels on Monday") and would only flood buckets.
MAX_ENTITY_KEYS = 3
# Affiliation keys per speaker: a role rarely names more than a country and a body.
MAX_AFFILIATION_KEYS = 2


def blocking_keys(claim: Claim) -> list[str]:
    """Return the blocking keys of a claim, the text-hash key first.

    - ``t:<hash>``: the sorted content words, so exact restatements (any order, any
      attribution) always meet;
    - ``s:<speaker>`` and ``s:<affiliation>``: a spokesperson meets the side it speaks for;
    - ``e:<entity>``: the main entities;
    - ``p:<entity>/<predicate>``: an antonym-slot predicate on the main entity, so
      "approved" and "rejected" meet in a small bucket.
    """
    return keys_of(analyse(claim))


def keys_of(features: ClaimFeatures) -> list[str]:
    """Return the blocking keys of an already analysed claim (see :func:`blocking_keys`)."""
    keys = [f"t:{features.text_key}"]
    spk = features.voice
    if spk.name:
        keys.append(f"s:{spk.name}")
    for affiliation in sorted(spk.affiliations - spk.name_tokens)[:MAX_AFFILIATION_KEYS]:
        keys.append(f"s:{affiliation}")
    entities = list(features.entities[:MAX_ENTITY_KEYS])
    # Lower-cased: "Singapore Airlines" and "singapore airlines" are one bucket.
    keys.extend(f"e:{entity.lower()}" for entity in entities)
    words = sorted((t for t in features.core_terms if not t.startswith("@")), key=lambda t: (-len(t), t))
    anchor = entities[0] if entities else (spk.name or (words[0] if words else ""))
    keys.extend(f"p:{anchor.lower()}/{slot}" for slot in sorted(features.slots))
    seen: set[str] = set()
    return [k for k in keys if not (k in seen or seen.add(k))]  # type: ignore[func-returns-value]
