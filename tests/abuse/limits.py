"""The small limits the abuse tests serve with, as settings and as environment."""

from service.config import Settings

# Small, so that fuzzing reaches every limit cheaply.
SMALL = Settings(max_body_bytes=20_000, max_text_chars=5_000, max_batch=4)
SMALL_ENV = {
    "MBTI_MAX_BODY_BYTES": str(SMALL.max_body_bytes),
    "MBTI_MAX_TEXT_CHARS": str(SMALL.max_text_chars),
    "MBTI_MAX_BATCH": str(SMALL.max_batch),
}
