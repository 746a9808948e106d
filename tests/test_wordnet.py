"""Finding WordNet offline: the Debian assembly and the error naming the fixes."""

import pytest

from pipeline import wordnet
from pipeline.wordnet import (
    LEXNAMES,
    WORDNET_FILES,
    WordNetUnavailableError,
    assemble_debian_wordnet,
    ensure_wordnet,
)


def test_lexnames_table_has_the_45_lexicographer_files():
    assert len(LEXNAMES) == 45
    assert LEXNAMES[0] == "adj.all 3"
    assert LEXNAMES[44] == "adj.ppl 3"


def test_assemble_copies_debian_files_and_writes_lexnames(tmp_path):
    source = tmp_path / "debian"
    source.mkdir()
    for name in WORDNET_FILES:
        (source / name).write_text(f"contents of {name}\n")
    data_dir = assemble_debian_wordnet(source, tmp_path / "nltk_data")
    corpus = data_dir / "corpora" / "wordnet"
    assert (corpus / "index.sense").read_text() == "contents of index.sense\n"
    rows = (corpus / "lexnames").read_text().splitlines()
    assert rows[3] == "03\tnoun.Tops\t1"
    assert len(rows) == 45
    # Running it again changes nothing and fails on nothing.
    assemble_debian_wordnet(source, tmp_path / "nltk_data")


def test_assemble_names_the_missing_debian_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="wordnet-sense-index"):
        assemble_debian_wordnet(tmp_path, tmp_path / "out")


def test_missing_wordnet_raises_one_error_naming_the_three_fixes(tmp_path, monkeypatch):
    monkeypatch.setattr(wordnet, "_on_nltk_path", lambda: False)
    monkeypatch.setattr(wordnet, "_download", lambda data_dir: False)
    with pytest.raises(WordNetUnavailableError) as info:
        ensure_wordnet(debian_dir=tmp_path / "none", data_dir=tmp_path / "data")
    message = str(info.value)
    assert "NLTK_DATA" in message
    assert "apt-get install wordnet-base wordnet-sense-index" in message
    assert "nltk.downloader wordnet" in message
