"""The server's health: store counts, the index, and how far the background vectors are."""

from __future__ import annotations

from pydantic import Field

from .base import Result


class StoreCounts(Result):
    documents: int
    units: int
    chunks: int


class DenseStatus(Result):
    """How far the vectors of the indexed passages are (dense search covers the embedded ones)."""

    ready: bool = Field(description="Mọi đoạn đã có vector.")
    embedded: int = Field(description="Số đoạn đã có vector.")
    total: int = Field(description="Tổng số đoạn.")
    percent: float = Field(description="Tỷ lệ đã có vector (%).")
    running: bool = Field(description="Đang tính vector.")
    error: str | None = Field(default=None, description="Vì sao lần tính vector gần nhất dừng sớm.")


class Health(Result):
    """GET /healthz."""

    status: str = Field(description="ok")
    index_loaded: bool = Field(description="Đã có chỉ mục tìm kiếm.")
    counts: StoreCounts
    model: str | None = Field(description="Mô hình của chỉ mục.")
    rows: int = Field(description="Số đoạn trong chỉ mục.")
    writes_enabled: bool = Field(description="Ghi (tải lên, xóa) được bật (có TRACUU_API_TOKEN).")
    dense: DenseStatus | None = None
