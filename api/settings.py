"""One typed settings object shared by every entry point (environment variables `TRACUU_*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACUU_", extra="ignore")

    home: Path = Field(default=Path(".tracuu"), description="data directory (SQLite store, indexes)")
    max_file_mb: float = Field(default=100.0, gt=0, description="largest file accepted for ingest, in MB")
    ocr: bool = Field(default=False, description="OCR scanned PDFs with tesseract-ocr-vie when installed")
    workers: int = Field(default=2, ge=1, le=32, description="processes used to parse and segment files")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
