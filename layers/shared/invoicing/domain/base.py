"""The kinds of model every contract is made of: deferred, answered in full, strict on input."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class Model(BaseModel):
    """Every model of the package. Its validator is built when the model is first used rather than
    when its module is imported: a function uses a few of the many models its modules define, and a
    SnapStart snapshot is primed with those (`invoicing.snapstart`)."""

    model_config = ConfigDict(defer_build=True)


class Answer(Model):
    """Answered in full: every field is in every answer (null when it has no value), so the OpenAPI
    document marks each one required in answers, defaults included, as they are."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Contract(Answer):
    """Unknown fields are refused, so a client sending computed totals learns that they are computed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        """An object, not anything with attributes: Powertools validates bodies `from_attributes`,
        under which a number would pass for a model with every field left to its default."""
        if isinstance(data, dict | BaseModel):
            return data
        raise ValueError("must be a JSON object")
