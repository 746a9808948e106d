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
    model's scikit-learn path.
    """

    def __init__(self, model: MBTIModel, card: dict):
        self.model = model
        self.card = card
        self.scorer = FastScorer(model)

    @classmethod
    def from_folder(cls, folder: str | Path) -> "Predictor":
        """Return a Predictor for the verified artifact in `folder`, warmed up."""
        model, card = artifact.load(folder)
        predictor = cls(model, card)
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
        vocabulary = self.model.vocabulary
        stats = []
        for index, tokens in enumerate(token_lists):
            known = sum(token in vocabulary for token in tokens)
            if known == 0:
                raise NoKnownWordsError(index, len(tokens))
            stats.append(TextStats(len(tokens), known))

        features = self.scorer.features(token_lists)
        probabilities = self.scorer.first_letter_probabilities(features)
        return [(compose(row), s) for row, s in zip(probabilities, stats, strict=True)]
