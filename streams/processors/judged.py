"""What dedup and contradict share: the pair judge, its verdict setting, and their own stored data.

Both decide with the judge (:mod:`factstream.processors.judge`) or, by default, the rules
(``FACTSTREAM_JUDGE_VERDICT``). Both keep, with each tracked claim the store writes, the match
features and screen they computed for it (:meth:`JudgedProcessor.state_of`), and get them back
with each candidate the store reads (:meth:`JudgedProcessor.restore_state`): the store keeps that
data but never reads it or imports the code that makes it (its ``ProcessorState`` protocol).
"""

from __future__ import annotations

from typing import Any

from factstream.processors.judge import PairJudge, default_judge
from factstream.processors.judge.settings import JudgeSettings
from factstream.processors.matching.features import features_of_tracked, restore_tracked_features
from factstream.processors.matching.screen import Screen, restore_screen, screen_of_features
from factstream.schemas.records import TrackedClaim


class JudgedProcessor:
    """Base of the processors that judge pairs of claims (dedup, contradict)."""

    def __init__(self, judge: PairJudge | None = None, learned: bool | None = None) -> None:
        self._judge = judge
        # The learned judge when given one or asked to (FACTSTREAM_JUDGE_VERDICT=learned), else rules.
        self.learned = learned if learned is not None else (
            judge is not None or JudgeSettings().verdict == "learned")

    @property
    def judge(self) -> PairJudge:
        """The pair judge (the shipped model unless one was given)."""
        if self._judge is None:
            self._judge = default_judge()
        return self._judge

    @property
    def version(self) -> str:
        """The version of what decides: the judge's model, or "rules"."""
        return self.judge.version if self.learned else RULES_VERSION

    def setup(self) -> None:
        """Load the judge's models once, before the first record (when the judge decides)."""
        if self.learned:
            _ = self.judge.neural

    def close(self) -> None:
        """Nothing to release: the models are shared by the process."""

    def state_of(self, tracked: TrackedClaim) -> tuple[Any, Any]:
        """What to store with a new tracked claim: its match features and its screen (JSON)."""
        features = features_of_tracked(tracked)
        return features, screen_of_features(features)

    def restore_state(self, tracked: TrackedClaim, stored: Any) -> None:
        """Take back the match features stored with a tracked claim (ignored if other rules wrote them)."""
        restore_tracked_features(tracked, stored)

    @staticmethod
    def stored_screen(stored: Any) -> Screen | None:
        """A candidate's stored screen, or None when absent or written by other rules."""
        return restore_screen(stored)


#: The version recorded for decisions of the rule verdict.
RULES_VERSION = "rules"
