"""One typed settings object shared by every entry point (environment variables `TRACUU_*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tracuu.index.embed import ADAPTERS, DEFAULT_ADAPTER, DEFAULT_MODEL, model_for


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACUU_", extra="ignore")

    home: Path = Field(default=Path(".tracuu"), description="data directory (SQLite store, indexes)")
    database_url: str | None = Field(
        default=None,
        description="postgresql://… : keep the store in PostgreSQL instead of SQLite in the data directory",
    )
    max_file_mb: float = Field(default=100.0, gt=0, description="largest file accepted for ingest, in MB")
    ocr: bool | None = Field(
        default=None, description="OCR scanned PDFs: unset, when tesseract-ocr-vie is installed; 0 off; 1 on"
    )
    workers: int = Field(default=2, ge=1, le=32, description="processes used to parse and segment files")
    model: str = Field(
        default=str(DEFAULT_MODEL),
        description="sentence-transformers model: a path or a name (unset: the one TRACUU_ADAPTER names)",
    )
    adapter: str = Field(
        default=DEFAULT_ADAPTER,
        pattern="^(" + "|".join(ADAPTERS) + ")$",
        description="legal-vi: the legal adapter merged into e5-small by `make model`; none: e5-small as shipped",
    )
    quantize: str = Field(
        default="onnx-int8",
        pattern="^(none|int8|onnx|onnx-int8)$",
        description="embedding path: none (torch fp32), int8, onnx, onnx-int8",
    )
    threads: int = Field(default=2, ge=1, le=64, description="torch threads for embedding")
    lock_timeout: float = Field(
        default=600.0, ge=0, description="seconds a writer waits while another process writes the store"
    )
    api_token: str | None = Field(
        default=None, description="bearer token for the HTTP API's writes (upload, delete); unset: writes off"
    )
    mcp_token: str | None = Field(
        default=None, description="the named token the MCP server reads as; unset: public documents only"
    )
    notify_every_s: float = Field(
        default=86400.0,
        ge=0,
        description="how often `tracuu serve` tells webhooks of newly overdue tasks; 0: never",
    )
    max_concurrent_uploads: int = Field(
        default=2, ge=1, le=64, description="uploads the HTTP API processes at once; one more gets 429"
    )
    max_uploads: int = Field(
        default=10000, ge=0, description="uploaded documents the store keeps at most; one more gets 409"
    )
    embed_now: int = Field(
        default=256, ge=0,
        description="chunks a write embeds before it answers; the rest get vectors in the background (serve)",
    )  # fmt: skip

    host: str = Field(default="127.0.0.1", description="address `tracuu serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="port `tracuu serve` listens on")
    serve_workers: int = Field(
        default=1, ge=1, le=16, description="server processes; each loads the model and follows the index"
    )

    @field_validator("port", mode="before")
    @classmethod
    def _service_link(cls, value: object) -> object:
        """Kubernetes sets TRACUU_PORT=tcp://10.0.0.1:8000 for a service named "tracuu": not a port to
        listen on, and never a reason for every command to fail. Any other value must be a port."""
        return 8000 if isinstance(value, str) and value.startswith(("tcp://", "udp://")) else value

    @model_validator(mode="after")
    def _adapted_model(self) -> Settings:
        """Without TRACUU_MODEL, the model is the converted e5-small with the chosen adapter merged in."""
        if "model" not in self.model_fields_set:
            self.model = str(model_for(self.adapter))
        return self

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
