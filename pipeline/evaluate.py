"""Score predicted axis probabilities against true types: metrics and references."""

from collections import Counter

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    roc_auc_score,
)

from pipeline.compose import compose, type_distribution
from pipeline.data import AXES, MBTI_TYPES, axis_labels

# Bins of the expected calibration error and of the reliability diagrams.
CALIBRATION_BINS = 10
# Quantiles of the held-out confidence that monitoring compares live traffic to.
REFERENCE_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = CALIBRATION_BINS
) -> float:
    """Return the ECE: the bin-weighted gap between confidence and accuracy.

    `confidence` and `correct` have shape (n,); bins are equal-width on [0, 1].
    """
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    gap = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            gap += members.mean() * abs(
                confidence[members].mean() - correct[members].mean()
            )
    return float(gap)


def reliability(
    confidence: np.ndarray, correct: np.ndarray, bins: int = CALIBRATION_BINS
) -> list[dict]:
    """Return, per non-empty bin, its mean confidence, accuracy and row count."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    table = []
    for b in range(bins):
        members = which == b
        if members.any():
            table.append(
                {
                    "confidence": float(confidence[members].mean()),
                    "accuracy": float(correct[members].mean()),
                    "count": int(members.sum()),
                }
            )
    return table


def axis_metrics(
    true_types: list[str], first_letter: np.ndarray, axis: str, majority: str
) -> dict:
    """Return the metrics of one axis; `first_letter` is P(first letter), shape (n,).

    `majority` is the training split's majority letter, the baseline's answer.
    """
    truth = np.array(axis_labels(true_types, axis))
    predicted = np.where(first_letter >= 0.5, axis[0], axis[1])
    is_first = (truth == axis[0]).astype(int)
    confidence = np.maximum(first_letter, 1.0 - first_letter)
    both_present = len(set(truth)) == 2
    return {
        "accuracy": float(accuracy_score(truth, predicted)),
        "balanced_accuracy": float(balanced_accuracy_score(truth, predicted)),
        "macro_f1": float(f1_score(truth, predicted, average="macro")),
        "roc_auc": float(roc_auc_score(is_first, first_letter))
        if both_present
        else None,
        "brier": float(brier_score_loss(is_first, first_letter)),
        "ece": expected_calibration_error(confidence, predicted == truth),
        "majority_baseline": float(np.mean(truth == majority)),
        "majority_letter": majority,
    }


def type_metrics(
    true_types: list[str], first_letter: np.ndarray, majority: str
) -> dict:
    """Return whole-type metrics; `first_letter` has shape (n, 4)."""
    predictions = [compose(row) for row in first_letter]
    predicted = np.array([p.mbti_type for p in predictions])
    truth = np.array(true_types)
    confidence = np.array([p.confidence for p in predictions])
    correct = predicted == truth
    letters_right = [
        sum(a == b for a, b in zip(t, p, strict=True))
        for t, p in zip(truth, predicted, strict=True)
    ]
    top3 = []
    for row, true_type in zip(first_letter, truth, strict=True):
        ranked = sorted(type_distribution(row).items(), key=lambda item: -item[1])
        top3.append(true_type in {name for name, _ in ranked[:3]})
    return {
        "accuracy": float(correct.mean()),
        "mean_letters_correct": float(np.mean(letters_right)),
        "top3_accuracy": float(np.mean(top3)),
        "ece": expected_calibration_error(confidence, correct),
        "types_never_predicted": len(set(MBTI_TYPES) - set(predicted)),
        "majority_baseline": float(np.mean(truth == majority)),
        "majority_type": majority,
        "reliability": reliability(confidence, correct),
    }


def majority_answers(train_types: list[str]) -> dict[str, str]:
    """Return the baseline's answers: the training majority letter of each axis
    and the majority type (key "type")."""
    answers = {
        axis: Counter(axis_labels(train_types, axis)).most_common(1)[0][0]
        for axis in AXES
    }
    answers["type"] = Counter(train_types).most_common(1)[0][0]
    return answers


def evaluate(
    true_types: list[str], first_letter: np.ndarray, majority: dict[str, str]
) -> dict:
    """Return per-axis and whole-type metrics beside the `majority` baseline.

    `first_letter` has shape (n, 4); `majority` comes from majority_answers.
    """
    axes = {
        axis: axis_metrics(true_types, first_letter[:, index], axis, majority[axis])
        for index, axis in enumerate(AXES)
    }
    return {
        "rows": len(true_types),
        "axes": axes,
        "type": type_metrics(true_types, first_letter, majority["type"]),
    }


def reference_distributions(first_letter: np.ndarray) -> dict:
    """Return what monitoring compares live traffic with, from held-out predictions.

    Confidence quantiles and mean, each letter's share of predicted letters,
    and each axis's mean P(first letter).
    """
    predictions = [compose(row) for row in first_letter]
    confidence = np.array([p.confidence for p in predictions])
    letters = Counter(letter for p in predictions for letter in p.mbti_type)
    return {
        "confidence_quantiles": {
            str(q): float(np.quantile(confidence, q)) for q in REFERENCE_QUANTILES
        },
        "confidence_mean": float(confidence.mean()),
        "letter_share": {
            letter: letters[letter] / len(predictions)
            for axis in AXES
            for letter in axis
        },
        "axis_probability_mean": {
            axis: float(first_letter[:, i].mean()) for i, axis in enumerate(AXES)
        },
    }
