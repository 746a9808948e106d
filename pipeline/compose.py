"""Compose four axis probabilities into a type, a confidence and alternatives."""

import itertools
import math
from dataclasses import dataclass

import numpy as np

from pipeline.data import AXES

# How many runner-up types an answer lists.
ALTERNATIVES = 3
# Each type with, per axis, 0 for the axis's first letter and 1 for its second.
_TYPE_LETTERS = tuple(
    ("".join(letters), tuple(a.index(c) for a, c in zip(AXES, letters, strict=True)))
    for letters in itertools.product(*AXES)
)


@dataclass(frozen=True)
class AxisResult:
    """One axis's verdict: the winning letter and both letters' probabilities."""

    axis: str
    letter: str
    probability: float
    probabilities: dict[str, float]


@dataclass(frozen=True)
class Prediction:
    """A whole-type answer for one text."""

    mbti_type: str
    confidence: float
    axes: tuple[AxisResult, ...]
    alternatives: tuple[tuple[str, float], ...]


def type_distribution(first_letter: np.ndarray) -> dict[str, float]:
    """Return the probability of each of the 16 types, summing to 1.

    `first_letter` has shape (4,): the probability of I, N, T and J. Axes are
    independent, so a type's probability is the product of its four letters'.
    """
    (ie, ns, tf, jp) = [(float(p), 1.0 - float(p)) for p in first_letter]
    return {name: ie[i] * ns[n] * tf[t] * jp[j] for name, (i, n, t, j) in _TYPE_LETTERS}


def compose(first_letter: np.ndarray) -> Prediction:
    """Return the prediction for one text's first-letter probabilities, shape (4,).

    The type is the four winning letters, the confidence the product of their
    probabilities, and the alternatives the next most likely types.
    """
    axes = []
    for axis, p_first in zip(AXES, first_letter, strict=True):
        probabilities = {axis[0]: float(p_first), axis[1]: float(1.0 - p_first)}
        letter = axis[0] if p_first >= 0.5 else axis[1]
        axes.append(AxisResult(axis, letter, probabilities[letter], probabilities))

    mbti_type = "".join(result.letter for result in axes)
    confidence = math.prod(result.probability for result in axes)
    ranked = sorted(
        type_distribution(first_letter).items(), key=lambda item: (-item[1], item[0])
    )
    alternatives = tuple(item for item in ranked if item[0] != mbti_type)
    return Prediction(mbti_type, confidence, tuple(axes), alternatives[:ALTERNATIVES])


def prediction_to_dict(prediction: Prediction) -> dict:
    """Return `prediction` as the JSON-ready mapping the API and CLI answer."""
    return {
        "mbti_type": prediction.mbti_type,
        "confidence": prediction.confidence,
        "axes": [
            {
                "axis": result.axis,
                "letter": result.letter,
                "probability": result.probability,
                "probabilities": result.probabilities,
            }
            for result in prediction.axes
        ],
        "alternatives": [
            {"mbti_type": mbti_type, "probability": probability}
            for mbti_type, probability in prediction.alternatives
        ],
    }
