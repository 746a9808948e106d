"""The fitted model: TF-IDF features and one calibrated classifier per axis."""

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.data import AXES
from pipeline.text import normalize


def build_vectorizer(
    ngram_range: tuple[int, int] = (1, 1),
    min_df: int = 2,
    max_features: int | None = None,
    sublinear_tf: bool = True,
) -> TfidfVectorizer:
    """Return an unfitted TF-IDF vectorizer over already-transformed text.

    The text transform has lowercased and tokenized the text, so the vectorizer
    only splits on spaces.
    """
    return TfidfVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=tuple(ngram_range),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=sublinear_tf,
        dtype=np.float64,
    )


class MBTIModel:
    """Predict the probability of each axis's first letter (I, N, T, J).

    Parameters
    ----------
    vectorizer : TfidfVectorizer
        Fitted on transformed text.
    classifiers : dict of str to classifier
        One fitted binary classifier per axis in AXES, with `predict_proba` and
        `classes_` holding the axis's two letters.
    mask_type_words : bool, default=True
        Whether the text transform masks type words, as it did at training.
    """

    def __init__(self, vectorizer, classifiers, mask_type_words=True):
        self.vectorizer = vectorizer
        self.classifiers = classifiers
        self.mask_type_words = mask_type_words

    @property
    def vocabulary(self) -> dict[str, int]:
        """Return the fitted vocabulary: term to column."""
        return self.vectorizer.vocabulary_

    def normalize(self, texts: list[str]) -> list[str]:
        """Return the transformed form of each raw text."""
        return [normalize(text, mask_type_words=self.mask_type_words) for text in texts]

    def features(self, normalized: list[str]) -> sparse.csr_matrix:
        """Return TF-IDF features, shape (n_texts, n_terms), of transformed texts."""
        return self.vectorizer.transform(normalized)

    def first_letter_probabilities(self, features: sparse.csr_matrix) -> np.ndarray:
        """Return P(first letter) per axis, shape (n_texts, 4), columns in AXES order.

        The column of each letter is looked up in the classifier's `classes_`,
        never assumed from position.
        """
        columns = []
        for axis in AXES:
            classifier = self.classifiers[axis]
            column = list(classifier.classes_).index(axis[0])
            columns.append(classifier.predict_proba(features)[:, column])
        return np.column_stack(columns)

    def predict_texts(self, texts: list[str]) -> np.ndarray:
        """Return P(first letter) per axis, shape (n_texts, 4), for raw texts."""
        return self.first_letter_probabilities(self.features(self.normalize(texts)))
