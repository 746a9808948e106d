"""Score all four axes with one sparse product, equal to the scikit-learn path.

Each axis is a CalibratedClassifierCV over a linear model: per fold a linear
score (an SVM's decision function, or naive Bayes's log-odds squashed into a
probability), then a sigmoid calibration, then the mean over folds. Stacking
the folds' weights of all axes into one matrix turns twenty predict_proba calls
into one product and a few vectorized array operations.
"""

import math
from collections import Counter
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.naive_bayes import MultinomialNB

from pipeline.data import AXES
from pipeline.model import MBTIModel


class EncodedText(NamedTuple):
    """One text's TF-IDF row and how many of its tokens the vocabulary knows."""

    columns: np.ndarray
    values: np.ndarray
    known_tokens: int


def _linear_form(estimator) -> tuple[np.ndarray, float, bool]:
    """Return (weights, intercept, squashed) giving the score calibration sees.

    For naive Bayes the score is P(classes_[1]), the sigmoid of a linear
    log-odds, so it is marked as squashed; for an SVM it is the raw decision.
    """
    if isinstance(estimator, MultinomialNB):
        weights = estimator.feature_log_prob_[1] - estimator.feature_log_prob_[0]
        prior = estimator.class_log_prior_[1] - estimator.class_log_prior_[0]
        return weights, float(prior), True
    return estimator.coef_.ravel(), float(estimator.intercept_[0]), False


class FastScorer:
    """The stacked form of a fitted MBTIModel; answers what it answers.

    Attributes
    ----------
    weights_ : ndarray of shape (n_terms, n_folds_total)
    intercepts_, slopes_, offsets_, squashed_ : ndarray of shape (n_folds_total,)
    fold_mean_ : ndarray of shape (n_folds_total, 4)
        Averages the folds of each axis into P(classes_[1]).
    """

    def __init__(self, model: MBTIModel):
        vectorizer = model.vectorizer
        self.sublinear_tf = vectorizer.sublinear_tf
        self.idf_ = vectorizer.idf_
        # Columns by n: unigrams keyed by the word, longer n-grams by a tuple of
        # words, so counting needs no string joins.
        self.columns_by_n_: dict[int, dict] = {}
        for term, column in vectorizer.vocabulary_.items():
            words = term.split(" ")
            key = words[0] if len(words) == 1 else tuple(words)
            self.columns_by_n_.setdefault(len(words), {})[key] = column

        columns, intercepts, slopes, offsets, squashed, owner = [], [], [], [], [], []
        self.first_is_positive_ = np.zeros(len(AXES), dtype=bool)
        for index, axis in enumerate(AXES):
            classifier = model.classifiers[axis]
            self.first_is_positive_[index] = classifier.classes_[1] == axis[0]
            for fold in classifier.calibrated_classifiers_:
                weights, intercept, is_squashed = _linear_form(fold.estimator)
                (calibrator,) = fold.calibrators
                columns.append(weights)
                intercepts.append(intercept)
                squashed.append(is_squashed)
                slopes.append(calibrator.a_)
                offsets.append(calibrator.b_)
                owner.append(index)

        self.weights_ = np.column_stack(columns)
        self.intercepts_ = np.array(intercepts)
        self.slopes_ = np.array(slopes, dtype=float)
        self.offsets_ = np.array(offsets, dtype=float)
        self.squashed_ = np.array(squashed)
        self.fold_mean_ = np.zeros((len(owner), len(AXES)))
        for column, index in enumerate(owner):
            self.fold_mean_[column, index] = 1.0 / owner.count(index)

    def encode(self, tokens: list[str]) -> EncodedText:
        """Return one text's TF-IDF row, as the fitted vectorizer would make it."""
        counts = {}
        known_tokens = 0
        for n, columns in self.columns_by_n_.items():
            shifted = (tokens[i:] for i in range(n))
            grams = Counter(tokens if n == 1 else zip(*shifted, strict=False))
            for gram in grams.keys() & columns.keys():
                counts[columns[gram]] = grams[gram]
                if n == 1:
                    known_tokens += grams[gram]

        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
        # Set order follows string hashing, which changes per process: sorting
        # fixes the order of the sums, so answers agree to the last digit.
        order = np.argsort(columns)
        columns, tf = columns[order], tf[order]
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        weighted = tf * self.idf_[columns]
        norm = math.sqrt(weighted @ weighted)
        values = weighted / norm if norm > 0 else weighted
        return EncodedText(columns, values, known_tokens)

    def features(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        """Return TF-IDF rows, shape (n_texts, n_terms), as the vectorizer would."""
        rows = [self.encode(tokens) for tokens in token_lists]
        indptr = np.cumsum([0] + [len(row.columns) for row in rows])
        indices = np.concatenate([row.columns for row in rows] + [[]])
        values = np.concatenate([row.values for row in rows] + [[]])
        shape = (len(token_lists), len(self.idf_))
        return sparse.csr_matrix((values, indices.astype(np.intp), indptr), shape=shape)

    def first_letter_probabilities(self, features: sparse.csr_matrix) -> np.ndarray:
        """Return P(first letter) per axis, shape (n_texts, 4), in AXES order."""
        return self._calibrated(features @ self.weights_ + self.intercepts_)

    def score(self, rows: list[EncodedText]) -> np.ndarray:
        """Return P(first letter) per axis, shape (n_texts, 4), for encoded texts.

        The same sums as first_letter_probabilities, gathered row by row from
        the weight matrix: no sparse matrix is built, which is most of the cost
        of a single short text.
        """
        scores = np.empty((len(rows), len(self.intercepts_)))
        for index, row in enumerate(rows):
            scores[index] = row.values @ self.weights_[row.columns]
        return self._calibrated(scores + self.intercepts_)

    def _calibrated(self, scores: np.ndarray) -> np.ndarray:
        """Return P(first letter) per axis from every fold's linear score."""
        scores = np.where(self.squashed_, expit(scores), scores)
        positive = expit(-(self.slopes_ * scores + self.offsets_)) @ self.fold_mean_
        return np.where(self.first_is_positive_, positive, 1.0 - positive)
