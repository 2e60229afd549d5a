"""Claim extraction: from a news article to self-contained, attributed claims.

Where things are:

* :mod:`.processor` - :class:`ExtractProcessor`, the stream-facing adapter; :mod:`.settings` its settings.
* :mod:`.extractor` - :class:`RuleBasedExtractor`, the rules put together; the ``ClaimExtractor``
  protocol another extractor (e.g. an LLM client) implements to plug in.
* :mod:`.markup` HTML remnants, :mod:`.language` language identification,
  :mod:`.segmentation` paragraphs/sentences/clauses, :mod:`.quotes` quotations,
  :mod:`.speakers` people, roles and back-references, :mod:`.attribution` who says what,
  :mod:`.entities` what a claim is about, :mod:`.numbers` quantities, :mod:`.modality` hedges and
  negation, :mod:`.dates` claim times, :mod:`.checkworthiness` the score, :mod:`.lexicon` shared word lists.
"""

from __future__ import annotations

from factstream.processors.extract.extractor import ClaimExtractor, RuleBasedExtractor, extract_claims
from factstream.processors.extract.processor import ExtractProcessor
from factstream.processors.extract.settings import ExtractSettings

__all__ = ["ClaimExtractor", "ExtractProcessor", "ExtractSettings", "RuleBasedExtractor", "extract_claims"]
