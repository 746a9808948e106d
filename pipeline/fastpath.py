"""Score all four axes with one sparse product, equal to the scikit-learn path.

Each axis is a CalibratedClassifierCV over a linear model: per fold a linear
score (an SVM's decision function, or naive Bayes's log-odds squashed into a
probability), then a sigmoid calibration, then the mean over folds. Stacking
the folds' weights of all axes into one matrix turns twenty predict_proba calls
into one product and a few vectorized array operations.
"""

import math
from collections import Counter

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.naive_bayes import MultinomialNB

from pipeline.data import AXES
from pipeline.model import MBTIModel


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
        self.vocabulary = vectorizer.vocabulary_
        self.ngram_range = vectorizer.ngram_range
        self.sublinear_tf = vectorizer.sublinear_tf
        self.idf_ = vectorizer.idf_

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

    def _term_counts(self, tokens: list[str]) -> Counter:
        """Return the counts of the vocabulary's n-grams in `tokens`, by column."""
        low, high = self.ngram_range
        counts: Counter = Counter()
        vocabulary = self.vocabulary
        for n in range(low, high + 1):
            for start in range(len(tokens) - n + 1):
                column = vocabulary.get(
                    tokens[start] if n == 1 else " ".join(tokens[start : start + n])
                )
                if column is not None:
                    counts[column] += 1
        return counts

    def features(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        """Return L2-normalized TF-IDF rows, as the fitted vectorizer would."""
        indptr, indices, values = [0], [], []
        for tokens in token_lists:
            counts = self._term_counts(tokens)
            columns = sorted(counts)
            tf = np.array([counts[c] for c in columns], dtype=float)
            if self.sublinear_tf:
                tf = np.log(tf) + 1.0
            weighted = tf * self.idf_[columns]
            norm = math.sqrt(float(weighted @ weighted)) if columns else 0.0
            indices.extend(columns)
            values.extend(weighted / norm if norm > 0 else weighted)
            indptr.append(len(indices))
        shape = (len(token_lists), len(self.idf_))
        return sparse.csr_matrix((values, indices, indptr), shape=shape)

    def first_letter_probabilities(self, features: sparse.csr_matrix) -> np.ndarray:
        """Return P(first letter) per axis, shape (n_texts, 4), in AXES order."""
        scores = features @ self.weights_ + self.intercepts_
        scores = np.where(self.squashed_, expit(scores), scores)
        positive = expit(-(self.slopes_ * scores + self.offsets_)) @ self.fold_mean_
        return np.where(self.first_is_positive_, positive, 1.0 - positive)
