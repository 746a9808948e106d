"""Composition maths: letters, confidence, the 16-type distribution, classes_."""

import numpy as np
import pytest

from pipeline.compose import compose, prediction_to_dict, type_distribution
from pipeline.model import MBTIModel

FIRST_LETTER = np.array([0.83, 0.3, 0.6, 0.5])


def test_compose_picks_the_winning_letter_of_each_axis():
    prediction = compose(FIRST_LETTER)
    assert prediction.mbti_type == "ISTJ"
    assert [a.letter for a in prediction.axes] == ["I", "S", "T", "J"]


def test_confidence_is_the_product_of_the_winning_probabilities():
    prediction = compose(FIRST_LETTER)
    assert prediction.confidence == pytest.approx(0.83 * 0.7 * 0.6 * 0.5)
    assert prediction.confidence == pytest.approx(
        np.prod([a.probability for a in prediction.axes])
    )


@pytest.mark.parametrize("seed", range(5))
def test_type_distribution_sums_to_one_and_peaks_at_the_answer(seed):
    first_letter = np.random.default_rng(seed).uniform(size=4)
    distribution = type_distribution(first_letter)
    prediction = compose(first_letter)
    assert len(distribution) == 16
    assert sum(distribution.values()) == pytest.approx(1.0)
    assert max(distribution, key=distribution.get) == prediction.mbti_type
    assert distribution[prediction.mbti_type] == pytest.approx(prediction.confidence)


def test_alternatives_are_the_next_three_types_in_order():
    prediction = compose(FIRST_LETTER)
    names = [name for name, _ in prediction.alternatives]
    probabilities = [p for _, p in prediction.alternatives]
    assert len(names) == 3
    assert prediction.mbti_type not in names
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] <= prediction.confidence


def test_prediction_to_dict_has_the_api_shape():
    answer = prediction_to_dict(compose(FIRST_LETTER))
    assert set(answer) == {"mbti_type", "confidence", "axes", "alternatives"}
    assert [a["axis"] for a in answer["axes"]] == ["IE", "NS", "TF", "JP"]
    first = answer["axes"][0]
    assert first == {
        "axis": "IE",
        "letter": "I",
        "probability": 0.83,
        "probabilities": {"I": 0.83, "E": pytest.approx(0.17)},
    }


class FixedClassifier:
    """A stand-in classifier answering fixed probabilities in `classes_` order."""

    def __init__(self, classes, first_column):
        self.classes_ = np.array(classes)
        self.first_column = first_column

    def predict_proba(self, features):
        rows = features.shape[0]
        return np.tile([self.first_column, 1 - self.first_column], (rows, 1))


def test_letters_follow_classes_not_column_position():
    # The "IE" classifier lists E first: its first column is P(E) = 0.9.
    classifiers = {
        "IE": FixedClassifier(["E", "I"], 0.9),
        "NS": FixedClassifier(["N", "S"], 0.8),
        "TF": FixedClassifier(["F", "T"], 0.3),
        "JP": FixedClassifier(["J", "P"], 0.4),
    }
    model = MBTIModel(vectorizer=None, classifiers=classifiers)
    first_letter = model.first_letter_probabilities(np.zeros((2, 3)))
    np.testing.assert_allclose(first_letter[0], [0.1, 0.8, 0.7, 0.4])
    assert compose(first_letter[0]).mbti_type == "ENTP"
