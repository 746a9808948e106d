"""The stacked fast path answers what the scikit-learn path answers."""

import csv

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

from pipeline.data import AXES, axis_labels
from pipeline.fastpath import FastScorer
from pipeline.model import MBTIModel, build_vectorizer
from pipeline.predict import Predictor

TOLERANCE = 1e-9


def sample_texts(data_dir) -> list[str]:
    """Return every text of both samples."""
    texts = []
    for name in ("mbti500_sample.csv", "mbti1_sample.csv"):
        with (data_dir / name).open(newline="") as handle:
            texts += [row["posts"] for row in csv.DictReader(handle)]
    return texts


def test_fast_path_equals_scikit_learn_on_the_whole_sample(predictor, data_dir):
    model = predictor.model
    normalized = model.normalize(sample_texts(data_dir))
    reference_features = model.features(normalized)
    fast_features = predictor.scorer.features([text.split() for text in normalized])
    assert abs(reference_features - fast_features).max() < TOLERANCE

    reference = model.first_letter_probabilities(reference_features)
    fast = predictor.scorer.first_letter_probabilities(fast_features)
    np.testing.assert_allclose(fast, reference, rtol=0, atol=TOLERANCE)
    gathered = predictor.scorer.score(
        [predictor.scorer.encode(text.split()) for text in normalized]
    )
    np.testing.assert_allclose(gathered, reference, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("estimator", ["naive_bayes", "linear_svm", "mixed"])
def test_fast_path_equals_scikit_learn_for_each_classifier_kind(estimator):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(rng.choice(words, size=30)) for _ in range(80)]
    types = [str(t) for t in rng.choice(["INTJ", "ESFP", "INFP", "ESTJ"], size=80)]
    vectorizer = build_vectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=False)
    features = vectorizer.fit_transform(texts)
    classifiers = {}
    for index, axis in enumerate(AXES):
        use_bayes = estimator == "naive_bayes" or (estimator == "mixed" and index % 2)
        base = (
            MultinomialNB(fit_prior=False)
            if use_bayes
            else LinearSVC(class_weight="balanced", random_state=0)
        )
        calibrated = CalibratedClassifierCV(base, method="sigmoid", cv=3)
        classifiers[axis] = calibrated.fit(features, axis_labels(types, axis))
    model = MBTIModel(vectorizer, classifiers)
    scorer = FastScorer(model)

    token_lists = [text.split() for text in texts]
    fast = scorer.first_letter_probabilities(scorer.features(token_lists))
    reference = model.first_letter_probabilities(features)
    np.testing.assert_allclose(fast, reference, rtol=0, atol=TOLERANCE)
    gathered = scorer.score([scorer.encode(tokens) for tokens in token_lists])
    np.testing.assert_allclose(gathered, reference, rtol=0, atol=TOLERANCE)


def test_fast_features_of_text_without_known_terms_are_empty(predictor):
    features = predictor.scorer.features([["qqqzx"], []])
    assert features.shape == (2, len(predictor.model.vocabulary))
    assert features.nnz == 0


def test_predictor_answers_the_same_with_either_path(predictor):
    reference = Predictor(predictor.model, predictor.card, fast=False)
    texts = [
        "I love deep conversations and thinking about abstract ideas.",
        "Parties, people and loud music every weekend!",
    ]
    for (fast, _), (slow, _) in zip(
        predictor.predict(texts), reference.predict(texts), strict=True
    ):
        assert fast.mbti_type == slow.mbti_type
        assert fast.confidence == pytest.approx(slow.confidence, abs=TOLERANCE)
