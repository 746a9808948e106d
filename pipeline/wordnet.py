"""Find the WordNet corpus offline and load NLTK's lemmatizer once."""

import logging
import os
import shutil
import threading
from pathlib import Path

import nltk
from nltk.stem import WordNetLemmatizer

logger = logging.getLogger(__name__)

# Where Debian's wordnet-base and wordnet-sense-index packages put the database.
DEBIAN_WORDNET_DIR = Path(
    os.environ.get("MBTI_DEBIAN_WORDNET_DIR", "/usr/share/wordnet")
)

# The NLTK data folder this project owns; the Debian files are assembled here.
PROJECT_NLTK_DATA = Path(
    os.environ.get(
        "MBTI_NLTK_DATA", Path.home() / ".cache" / "mbti-predictor" / "nltk_data"
    )
)

# Set to 0 to never try nltk.download, as on machines without a network.
DOWNLOAD_SWITCH = "MBTI_WORDNET_DOWNLOAD"

# The database files NLTK's WordNet reader opens, besides `lexnames`.
WORDNET_FILES = (
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
    "cntlist.rev",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "index.sense",
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
)

# WordNet's fixed table of lexicographer files (man 5 lexnames): number, name,
# syntactic category. Debian does not ship it as a file; NLTK needs it.
LEXNAMES = (
    "adj.all 3",
    "adj.pert 3",
    "adv.all 4",
    "noun.Tops 1",
    "noun.act 1",
    "noun.animal 1",
    "noun.artifact 1",
    "noun.attribute 1",
    "noun.body 1",
    "noun.cognition 1",
    "noun.communication 1",
    "noun.event 1",
    "noun.feeling 1",
    "noun.food 1",
    "noun.group 1",
    "noun.location 1",
    "noun.motive 1",
    "noun.object 1",
    "noun.person 1",
    "noun.phenomenon 1",
    "noun.plant 1",
    "noun.possession 1",
    "noun.process 1",
    "noun.quantity 1",
    "noun.relation 1",
    "noun.shape 1",
    "noun.state 1",
    "noun.substance 1",
    "noun.time 1",
    "verb.body 2",
    "verb.change 2",
    "verb.cognition 2",
    "verb.communication 2",
    "verb.competition 2",
    "verb.consumption 2",
    "verb.contact 2",
    "verb.creation 2",
    "verb.emotion 2",
    "verb.motion 2",
    "verb.perception 2",
    "verb.possession 2",
    "verb.social 2",
    "verb.stative 2",
    "verb.weather 2",
    "adj.ppl 3",
)

_lock = threading.Lock()
_lemmatizer: WordNetLemmatizer | None = None


class WordNetUnavailableError(RuntimeError):
    """Raised when no WordNet corpus can be found, assembled or downloaded.

    A RuntimeError so that gunicorn reports it in one line (see ArtifactError).
    """


def _on_nltk_path() -> bool:
    """Return True when NLTK's own search path already holds WordNet."""
    try:
        nltk.data.find("corpora/wordnet")
    except LookupError:
        return False
    return True


def assemble_debian_wordnet(
    source: Path = DEBIAN_WORDNET_DIR, data_dir: Path = PROJECT_NLTK_DATA
) -> Path:
    """Copy Debian's WordNet files into an NLTK data folder and return that folder.

    The copy is idempotent: files already in place with the same size are kept.
    Raises FileNotFoundError naming every missing Debian file.
    """
    missing = [name for name in WORDNET_FILES if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"Debian WordNet at {source} lacks {', '.join(missing)}; install the "
            "packages wordnet-base and wordnet-sense-index."
        )

    corpus = data_dir / "corpora" / "wordnet"
    corpus.mkdir(parents=True, exist_ok=True)
    for name in WORDNET_FILES:
        target = corpus / name
        if (
            not target.exists()
            or target.stat().st_size != (source / name).stat().st_size
        ):
            shutil.copyfile(source / name, target)
    rows = []
    for number, entry in enumerate(LEXNAMES):
        name, category = entry.split()
        rows.append(f"{number:02d}\t{name}\t{category}\n")
    (corpus / "lexnames").write_text("".join(rows), encoding="ascii")
    return data_dir


def _use_data_dir(data_dir: Path) -> None:
    """Put `data_dir` first on NLTK's search path."""
    if str(data_dir) not in nltk.data.path:
        nltk.data.path.insert(0, str(data_dir))


def _download(data_dir: Path) -> bool:
    """Return True when `nltk.download` fetched WordNet into `data_dir`.

    With MBTI_WORDNET_DOWNLOAD=0 nothing is tried: where the network drops
    packets, nltk waits up to two minutes before it gives up.
    """
    if os.environ.get(DOWNLOAD_SWITCH, "").strip() == "0":
        logger.info("%s=0: WordNet is not downloaded", DOWNLOAD_SWITCH)
        return False
    try:
        return bool(nltk.download("wordnet", download_dir=str(data_dir), quiet=True))
    except (OSError, ValueError) as exc:
        # No network is the normal case on build machines: report, then give up.
        logger.info("nltk.download of WordNet failed: %s", exc)
        return False


def ensure_wordnet(
    debian_dir: Path = DEBIAN_WORDNET_DIR, data_dir: Path = PROJECT_NLTK_DATA
) -> str:
    """Make WordNet loadable by NLTK and return which source provided it.

    Tries, in order: NLTK's own search path (and the project's data folder),
    Debian's files under `debian_dir` assembled into `data_dir`, and
    `nltk.download` into `data_dir`. Raises WordNetUnavailableError naming the
    three fixes when none works.
    """
    _use_data_dir(data_dir)
    if _on_nltk_path():
        return "nltk search path"

    try:
        assemble_debian_wordnet(debian_dir, data_dir)
    except FileNotFoundError as exc:
        logger.info("Debian WordNet not usable: %s", exc)
    else:
        if _on_nltk_path():
            return f"Debian wordnet packages ({debian_dir})"

    if _download(data_dir) and _on_nltk_path():
        return "nltk.download"

    raise WordNetUnavailableError(
        "WordNet for NLTK was not found. Fix it one of three ways: (1) put the "
        "NLTK 'wordnet' corpus on NLTK's search path (set NLTK_DATA); "
        "(2) install Debian's packages: apt-get install wordnet-base "
        "wordnet-sense-index (then it is assembled into MBTI_NLTK_DATA, now "
        f"{data_dir}); (3) with a network, run: python -m nltk.downloader wordnet."
    )


def get_lemmatizer() -> WordNetLemmatizer:
    """Return the process's WordNet lemmatizer, loaded and warmed once.

    NLTK loads WordNet lazily and that first load is not thread-safe, so the
    corpus is loaded here, under a lock, before any request can race on it.
    """
    global _lemmatizer
    with _lock:
        if _lemmatizer is None:
            source = ensure_wordnet()
            from nltk.corpus import wordnet

            wordnet.ensure_loaded()
            lemmatizer = WordNetLemmatizer()
            lemmatizer.lemmatize("warming", "v")
            logger.info("WordNet %s loaded from %s", wordnet.get_version(), source)
            _lemmatizer = lemmatizer
    return _lemmatizer
