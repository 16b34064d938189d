"""The base every result shares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Result(BaseModel):
    """What every result shares: extra fields kept, and `to_dict()` (JSON types, absent fields left out)."""

    model_config = ConfigDict(extra="allow")

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)  # "from", not "from_"
