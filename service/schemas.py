"""Request and response models of the HTTP API, validated by pydantic.

The same models describe the API in JSON Schema, from which an OpenAPI
document can be generated.
"""

from pydantic import BaseModel, ConfigDict, Field, model_validator

AXIS_ORDER_NOTE = "Axes in the order IE, NS, TF, JP."


class PredictRequest(BaseModel):
    """Exactly one of `text` (one prediction) or `texts` (a batch)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str | None = Field(default=None, description="One text to classify.")
    texts: list[str] | None = Field(
        default=None, min_length=1, description="Several texts, answered in order."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "PredictRequest":
        if (self.text is None) == (self.texts is None):
            raise ValueError("send exactly one of 'text' or 'texts'")
        return self

    def as_batch(self) -> list[str]:
        """Return the texts of the request as a list, one for `text`."""
        return [self.text] if self.text is not None else list(self.texts)


class AxisAnswer(BaseModel):
    """One axis: the winning letter and both letters' probabilities."""

    axis: str = Field(examples=["IE"])
    letter: str = Field(examples=["I"])
    probability: float = Field(ge=0, le=1)
    probabilities: dict[str, float]


class Alternative(BaseModel):
    """A runner-up type and its probability under the model."""

    mbti_type: str = Field(examples=["INFP"])
    probability: float = Field(ge=0, le=1)


class PredictionAnswer(BaseModel):
    """The answer for one text."""

    mbti_type: str = Field(examples=["INFJ"])
    confidence: float = Field(
        ge=0, le=1, description="Product of the four winning axis probabilities."
    )
    axes: list[AxisAnswer] = Field(description=AXIS_ORDER_NOTE)
    alternatives: list[Alternative]
    model_version: str


class BatchAnswer(BaseModel):
    """The answers for a batch, in the order of the texts."""

    predictions: list[PredictionAnswer]
    model_version: str


class ErrorDetail(BaseModel):
    """A stable machine-readable code and a sentence for people."""

    code: str
    message: str


class ErrorAnswer(BaseModel):
    """The shape of every 4xx and 5xx answer."""

    error: ErrorDetail
