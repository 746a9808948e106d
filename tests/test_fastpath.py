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

    fast = scorer.first_letter_probabilities(
        scorer.features([t.split() for t in texts])
    )
    reference = model.first_letter_probabilities(features)
    np.testing.assert_allclose(fast, reference, rtol=0, atol=TOLERANCE)


def test_fast_features_of_text_without_known_terms_are_empty(predictor):
    features = predictor.scorer.features([["qqqzx"], []])
    assert features.shape == (2, len(predictor.model.vocabulary))
    assert features.nnz == 0
