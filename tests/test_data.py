"""Loading both Kaggle formats: validation, dropped rows, duplicates, splits."""

from collections import Counter

import pytest

from pipeline.data import DataFormatError, load_datasets, read_csv, split


def write(tmp_path, name, content, mode="w"):
    """Return the path of a file written under tmp_path."""
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def test_read_csv_reads_mbti500_format(tmp_path):
    path = write(tmp_path, "a.csv", "posts,type\nsome words here,INTJ\nmore,enfp\n")
    dataset = read_csv(path)
    assert dataset.texts == ["some words here", "more"]
    assert dataset.types == ["INTJ", "ENFP"]


def test_read_csv_reads_mbti1_format(tmp_path):
    path = write(tmp_path, "b.csv", 'type,posts\n INFP ,"first post|||second"\n')
    dataset = read_csv(path)
    assert dataset.texts == ["first post|||second"]
    assert dataset.types == ["INFP"]


def test_read_csv_drops_and_counts_bad_rows(tmp_path, caplog):
    content = (
        "posts,type\nok text,INTJ\nbad label,ABCD\n   ,ISTP\nextra,INFJ,x\n"
        "empty label,\n"
    )
    dataset = read_csv(write(tmp_path, "c.csv", content))
    assert dataset.texts == ["ok text"]
    assert dataset.dropped == Counter(
        {"unknown type": 2, "empty text": 1, "wrong number of fields": 1}
    )
    assert "dropped 2 row(s): unknown type" in caplog.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("text,label\nx,INTJ\n", "expected the header 'posts,type'"),
        ("just one column\n", "found 1 column"),
    ],
)
def test_read_csv_rejects_files_that_are_not_mbti_csv(tmp_path, content, message):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(DataFormatError, match=message) as info:
        read_csv(path)
    assert str(path) in str(info.value)


def test_read_csv_rejects_binary_files(tmp_path):
    path = write(tmp_path, "bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", mode="wb")
    with pytest.raises(DataFormatError, match=r"bin\.csv"):
        read_csv(path)


def test_load_datasets_removes_exact_duplicates_and_conflicts(tmp_path):
    first = write(tmp_path, "1.csv", "posts,type\nsame,INTJ\nclash,INTJ\nsolo,ESTP\n")
    second = write(tmp_path, "2.csv", "type,posts\nINTJ,same\nENFP,clash\n")
    dataset = load_datasets([first, second])
    assert dataset.texts == ["same", "solo"]
    assert dataset.dropped["exact duplicate"] == 1
    assert dataset.dropped["same text with conflicting types"] == 2


def test_split_is_stratified_disjoint_and_seeded(data_dir):
    dataset = load_datasets([data_dir / "mbti500_sample.csv"])
    train, validation, test = split(dataset, random_state=7)
    again = split(dataset, random_state=7)[2]
    assert test.texts == again.texts
    assert len(train) + len(validation) + len(test) == len(dataset)
    assert not set(train.texts) & set(test.texts)
    assert not set(validation.texts) & set(test.texts)
    shares = Counter(test.types)
    assert set(shares) == set(Counter(dataset.types))
