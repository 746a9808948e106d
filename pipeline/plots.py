"""Draw the model card's figures: reliability diagrams and confusion matrices."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and CI

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import confusion_matrix

from pipeline.compose import compose
from pipeline.data import AXES, axis_labels
from pipeline.evaluate import reliability

RELIABILITY_FILE = "reliability.png"
CONFUSION_FILE = "confusion.png"


def _reliability_panel(axes, confidence: np.ndarray, correct: np.ndarray, title: str):
    """Draw one reliability diagram: accuracy against confidence per bin."""
    table = reliability(confidence, correct)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    axes.plot(
        [row["confidence"] for row in table],
        [row["accuracy"] for row in table],
        marker="o",
        label="model",
    )
    axes.set(
        title=title, xlabel="confidence", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1)
    )
    axes.legend(loc="upper left", fontsize="small")


def plot_reliability(
    true_types: list[str], first_letter: np.ndarray, path: Path
) -> None:
    """Write reliability diagrams per axis and for the whole-type confidence."""
    figure, panels = plt.subplots(1, 5, figsize=(20, 4))
    for index, axis in enumerate(AXES):
        truth = np.array(axis_labels(true_types, axis))
        p_first = first_letter[:, index]
        predicted = np.where(p_first >= 0.5, axis[0], axis[1])
        _reliability_panel(
            panels[index],
            np.maximum(p_first, 1 - p_first),
            predicted == truth,
            f"axis {axis}",
        )
    predictions = [compose(row) for row in first_letter]
    _reliability_panel(
        panels[4],
        np.array([p.confidence for p in predictions]),
        np.array([p.mbti_type for p in predictions]) == np.array(true_types),
        "type confidence",
    )
    figure.tight_layout()
    figure.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(figure)


def plot_confusion(true_types: list[str], first_letter: np.ndarray, path: Path) -> None:
    """Write one confusion matrix per axis, rows true and columns predicted."""
    figure, panels = plt.subplots(1, 4, figsize=(16, 4))
    for index, axis in enumerate(AXES):
        truth = axis_labels(true_types, axis)
        predicted = np.where(first_letter[:, index] >= 0.5, axis[0], axis[1])
        matrix = confusion_matrix(truth, predicted, labels=list(axis))
        panel = panels[index]
        panel.imshow(matrix, cmap="Blues")
        for (row, column), count in np.ndenumerate(matrix):
            panel.text(column, row, str(count), ha="center", va="center")
        panel.set(
            title=f"axis {axis}",
            xticks=[0, 1],
            yticks=[0, 1],
            xticklabels=list(axis),
            yticklabels=list(axis),
            xlabel="predicted",
            ylabel="true",
        )
    figure.tight_layout()
    figure.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(figure)
