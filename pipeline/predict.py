"""Predict types for raw texts with a loaded artifact; shared by the API and CLI."""

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline import artifact
from pipeline.compose import Prediction, compose
from pipeline.fastpath import FastScorer
from pipeline.model import MBTIModel
from pipeline.text import tokenize

logger = logging.getLogger(__name__)

# A sentence run through the whole path once before a process takes traffic.
WARM_UP_TEXT = "I love deep conversations and thinking about abstract ideas."


class NoKnownWordsError(ValueError):
    """Raised when a text keeps no word the model knows after the transform."""

    def __init__(self, index: int, tokens: int):
        self.index = index
        self.tokens = tokens
        super().__init__(
            f"Text {index} has no word the model knows after normalization "
            f"({tokens} token(s) kept); send more English prose."
        )


@dataclass(frozen=True)
class TextStats:
    """What the transform made of one text: its size and how much is known."""

    tokens: int
    known_tokens: int

    @property
    def coverage(self) -> float:
        """Return the share of tokens in the model's vocabulary (0 when none)."""
        return self.known_tokens / self.tokens if self.tokens else 0.0


class Predictor:
    """A verified, loaded model ready to answer; one per process.

    Answers come from the stacked FastScorer, which tests hold equal to the
    model's scikit-learn path; `fast=False` uses that path instead, for
    side-by-side benchmarks.
    """

    def __init__(self, model: MBTIModel, card: dict, fast: bool = True):
        self.model = model
        self.card = card
        self.scorer = FastScorer(model) if fast else None

    @classmethod
    def from_folder(cls, folder: str | Path, fast: bool = True) -> "Predictor":
        """Return a Predictor for the verified artifact in `folder`, warmed up."""
        model, card = artifact.load(folder)
        predictor = cls(model, card, fast=fast)
        predictor.predict([WARM_UP_TEXT])
        return predictor

    @property
    def version(self) -> str:
        """Return the model version recorded in the model card."""
        return self.card["model_version"]

    def predict(self, texts: list[str]) -> list[tuple[Prediction, TextStats]]:
        """Return a prediction and transform statistics for each text, in order.

        Raises NoKnownWordsError for the first text with no known word, before
        any text is scored.
        """
        mask = self.model.mask_type_words
        token_lists = [tokenize(text, mask_type_words=mask) for text in texts]
        if self.scorer is not None:
            encoded = [self.scorer.encode(tokens) for tokens in token_lists]
            known = [row.known_tokens for row in encoded]
        else:
            vocabulary = self.model.vocabulary
            known = [sum(t in vocabulary for t in tokens) for tokens in token_lists]
        stats = [TextStats(len(t), k) for t, k in zip(token_lists, known, strict=True)]
        for index, text_stats in enumerate(stats):
            if text_stats.known_tokens == 0:
                raise NoKnownWordsError(index, text_stats.tokens)

        if self.scorer is not None:
            probabilities = self.scorer.score(encoded)
        else:
            normalized = [" ".join(tokens) for tokens in token_lists]
            probabilities = self.model.first_letter_probabilities(
                self.model.features(normalized)
            )
        return [
            (compose(row), text_stats)
            for row, text_stats in zip(probabilities, stats, strict=True)
        ]
