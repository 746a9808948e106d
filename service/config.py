"""Service configuration, read once from environment variables with defaults."""

import os
from dataclasses import dataclass, field
from pathlib import Path

# The artifact shipped with the repository, next to this package.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "artifacts"


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class ConfigError(RuntimeError):
    """Raised for an environment variable that cannot be used.

    A RuntimeError, like the artifact's errors, so gunicorn reports it in one
    line instead of a traceback.
    """


def _env_int(name: str, default: int) -> int:
    """Return the positive integer in environment variable `name`, or `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}.")
    return int(raw)


def _env_bool(name: str, default: bool) -> bool:
    """Return the yes/no value of environment variable `name`, or `default`."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in TRUE_WORDS | FALSE_WORDS:
        raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off.")
    return raw in TRUE_WORDS


@dataclass(frozen=True)
class Settings:
    """What an operator can set; the README lists the variables."""

    # Folder of the verified artifact (MBTI_MODEL_DIR).
    model_dir: Path = DEFAULT_MODEL_DIR
    # Largest request body in bytes, refused before parsing (MBTI_MAX_BODY_BYTES).
    max_body_bytes: int = 1_048_576
    # Longest single text in characters (MBTI_MAX_TEXT_CHARS).
    max_text_chars: int = 100_000
    # Most texts in one batch request (MBTI_MAX_BATCH).
    max_batch: int = 64
    # Log a hash and length of each text; the text itself only if this is set
    # (MBTI_LOG_USER_TEXT), for debugging on a private deployment.
    log_user_text: bool = False
    # Score with the stacked fast path; off runs scikit-learn's predict_proba
    # per axis, the same answers slower, for benchmarks (MBTI_FAST_PATH).
    fast_path: bool = True
    # Extra Flask settings, for tests.
    flask: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Settings":
        """Return settings from the environment, defaults where unset."""
        defaults = cls()
        return cls(
            model_dir=Path(os.environ.get("MBTI_MODEL_DIR") or defaults.model_dir),
            max_body_bytes=_env_int("MBTI_MAX_BODY_BYTES", defaults.max_body_bytes),
            max_text_chars=_env_int("MBTI_MAX_TEXT_CHARS", defaults.max_text_chars),
            max_batch=_env_int("MBTI_MAX_BATCH", defaults.max_batch),
            log_user_text=_env_bool("MBTI_LOG_USER_TEXT", defaults.log_user_text),
            fast_path=_env_bool("MBTI_FAST_PATH", defaults.fast_path),
        )
