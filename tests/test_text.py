"""The text transform: idempotence, masking, URLs and raw text."""

import csv

import pytest

from pipeline.text import lemmatize, normalize, tokenize


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("fascinating", "fascinate"),
        ("ideas", "idea"),
        ("was", "be"),
        ("running", "run"),
        ("pass", "pa"),
        ("pas", "pa"),
    ],
)
def test_lemmatize_takes_verbs_then_nouns_to_a_fixed_point(word, lemma):
    assert lemmatize(word) == lemma
    assert lemmatize(lemma) == lemma


@pytest.mark.parametrize(
    "text",
    [
        "As an INTJ I think",
        "intjs and INFPs",
        "my infp's friend",
        "the ENFP-T test",
        "xNTP or INxJ",
        "Ni dom with Fe",
        "ENTJ, ESTP; ISFJ!",
    ],
)
def test_tokenize_masks_type_codes_and_their_variants(text):
    tokens = tokenize(text)
    for code in ("intj", "infp", "enfp", "xntp", "inxj", "ni", "fe", "entj", "isfj"):
        assert code not in tokens
    assert not any(token.startswith(("intj", "infp")) for token in tokens)


def test_tokenize_keeps_type_codes_when_masking_is_off():
    assert tokenize("As an INTJ I think", mask_type_words=False) == ["intj", "think"]


def test_tokenize_drops_urls_separators_and_stop_words():
    text = "Look at http://example.com/x?y=1|||great www.foo.org THEN the Ideas!!!"
    assert tokenize(text) == ["look", "great", "idea"]


def test_tokenize_splits_contractions_into_stop_words():
    assert tokenize("I don't know, I can't say") == ["know", "say"]


def test_normalize_brings_raw_text_to_the_mbti500_form():
    raw = "Fascinating IDEAS... I was RUNNING through https://x.y/z posts!"
    assert normalize(raw) == "fascinate idea run post"


def test_normalize_is_idempotent_on_mbti500_rows(data_dir):
    with (data_dir / "mbti500_sample.csv").open(newline="") as handle:
        rows = [row["posts"] for row in csv.DictReader(handle)][:300]
    kept = 0
    for row in rows:
        once = normalize(row)
        assert normalize(once) == once
        kept += len(once.split())
    # The rows were cleaned the same way: little beyond type words is removed.
    assert kept >= 0.93 * sum(len(row.split()) for row in rows)


def test_normalize_raw_forum_text_mostly_lands_in_mbti500_vocabulary(data_dir):
    with (data_dir / "mbti500_sample.csv").open(newline="") as handle:
        vocabulary = {w for row in csv.DictReader(handle) for w in row["posts"].split()}
    with (data_dir / "mbti1_sample.csv").open(newline="") as handle:
        raw = [row["posts"] for row in csv.DictReader(handle)][:50]
    tokens = [token for text in raw for token in tokenize(text)]
    known = sum(token in vocabulary for token in tokens)
    assert known / len(tokens) > 0.9


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! ...", "the and of"])
def test_tokenize_returns_nothing_for_text_without_content_words(text):
    assert tokenize(text) == []
