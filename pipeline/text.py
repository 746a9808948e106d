"""The one text transform shared by training and serving: raw text to tokens.

The MBTI 500 rows were lowercased, lemmatized with NLTK's WordNet lemmatizer and
stripped of stop words before publication. This transform brings raw text
(forum posts, API requests) to that same vocabulary and leaves those rows as
they are, so a model trained on one serves the other.
"""

import functools
import re
import unicodedata

from pipeline.stopwords import STOP_WORDS
from pipeline.wordnet import get_lemmatizer

URL_PATTERN = re.compile(r"(?:https?://|www\.)\S+")
POST_SEPARATOR = "|||"
# Runs of letters in any script; digits, underscores and punctuation split words,
# so "don't" becomes "don" and "t", both stop words, as in the MBTI 500 rows.
TOKEN_PATTERN = re.compile(r"[^\W\d_]+")
# A type code, with "x" for an unknown letter, and its plural: intj, infps, xnfp.
# Possessives ("infp's") reach here as "infp" because the tokenizer splits them.
TYPE_CODE_PATTERN = re.compile(r"[iex][nsx][tfx][jpx]s?")
# The Jungian function abbreviations people use to describe their own type
# ("ni dom", "fe user"): as telling of the label as the codes themselves.
COGNITIVE_FUNCTIONS = frozenset(["ni", "ne", "si", "se", "ti", "te", "fi", "fe"])

# Tokens longer than this are noise ("hahahahaha..."), never WordNet words.
MAX_TOKEN_LENGTH = 40
# Distinct words whose lemma is remembered; bounds the cache's memory.
LEMMA_CACHE_SIZE = 200_000
# WordNet's shortest-lemma rule can step twice ("pass" -> "pas" -> "pa");
# following it to a fixed point is what makes the transform idempotent.
MAX_LEMMA_STEPS = 4


def is_type_word(token: str) -> bool:
    """Return True when `token` names an MBTI type or a cognitive function."""
    return (
        token in COGNITIVE_FUNCTIONS or TYPE_CODE_PATTERN.fullmatch(token) is not None
    )


@functools.lru_cache(maxsize=LEMMA_CACHE_SIZE)
def lemmatize(word: str) -> str:
    """Return the WordNet lemma of `word`, as a verb and then as a noun.

    "fascinating" gives "fascinate" and "ideas" gives "idea". The rule is applied
    until the word stops changing, so lemmatize(lemmatize(w)) == lemmatize(w).
    """
    lemmatizer = get_lemmatizer()
    current = word
    for _ in range(MAX_LEMMA_STEPS):
        lemma = lemmatizer.lemmatize(lemmatizer.lemmatize(current, "v"), "n")
        if lemma == current:
            break
        current = lemma
    return current


@functools.lru_cache(maxsize=LEMMA_CACHE_SIZE)
def _token(word: str, mask_type_words: bool) -> str | None:
    """Return the token one lowercase word becomes, or None when it is dropped."""
    if len(word) > MAX_TOKEN_LENGTH or word in STOP_WORDS:
        return None
    if mask_type_words and is_type_word(word):
        return None
    lemma = lemmatize(word)
    if lemma in STOP_WORDS or (mask_type_words and is_type_word(lemma)):
        return None
    return lemma


def tokenize(text: str, mask_type_words: bool = True) -> list[str]:
    """Return the model's tokens for `text`: lowercased, lemmatized, filtered.

    URLs and the mbti_1 post separator are dropped, stop words removed, and with
    `mask_type_words` the type codes and function abbreviations removed too.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    # Separators first: a URL ending a post would otherwise swallow the next
    # post's first word, since "|" is not whitespace.
    text = URL_PATTERN.sub(" ", text.replace(POST_SEPARATOR, " "))

    words = TOKEN_PATTERN.findall(text)
    tokens = [_token(word, mask_type_words) for word in words]
    return [token for token in tokens if token is not None]


def normalize(text: str, mask_type_words: bool = True) -> str:
    """Return the transformed text as one space-joined string of tokens."""
    return " ".join(tokenize(text, mask_type_words=mask_type_words))
