"""Validity: whether a document is in force on a date, and its typed relations with the clauses stating them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from .base import Result

Status = Literal["in_force", "partly_expired", "expired", "not_yet_in_force", "unknown"]


class RelationEntry(Result):
    """One relation of a document, in either direction, with the clause that states it."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    type: str = Field(description="replaces, expires, repeals_part, amends, guides, based_on; chiều ngược: "
                      "replaced_by, expired_by, part_repealed_by, amended_by, guided_by, basis_for.")  # fmt: skip
    other: str = Field(description="Số hiệu văn bản kia (hoặc tên khi điều khoản chỉ gọi tên).")
    scope: str = Field(description="whole, hoặc các điều, khoản bị tác động.")
    from_: str | None = Field(alias="from", description="Ngày quan hệ có hiệu lực (ISO 8601), nếu biết.")
    citation: str = Field(description="Trích dẫn điều khoản nêu quan hệ.")
    direction: Literal["out", "in"] | None = Field(
        default=None, description="out: văn bản này nêu; in: văn bản kia nêu."
    )
    quote: str | None = Field(default=None, description="Nguyên văn điều khoản nêu quan hệ.")
    origin: Literal["corpus", "catalog"] | None = Field(
        default=None, description="Từ văn bản trong kho hay từ danh mục Pháp điển."
    )
    doc_id: str | None = Field(
        default=None, description="Mã văn bản trong kho nêu quan hệ (để mở điều khoản)."
    )
    unit_path: str | None = Field(default=None, description="Đường dẫn đơn vị nêu quan hệ.")


class Stamped(Result):
    """What carries its document's validity: a document, a hit, a cited document, an answer's reference and
    evidence (today, or the day a search filtered on)."""

    validity: Status | None = Field(
        default=None,
        description="Tình trạng hiệu lực (in_force, partly_expired, expired, not_yet_in_force, unknown).",
    )
    effective_from: str | None = Field(default=None, description="Ngày có hiệu lực (ISO 8601), nếu được nêu.")
    expired_from: str | None = Field(default=None, description="Ngày hết hiệu lực (ISO 8601), nếu biết.")


class ValidityResult(Result):
    """`tracuu validity NUMBER --json`, GET /validity/{number}: the status on a date, with the proof."""

    query: str = Field(description="Văn bản đã hỏi, như đã gõ.")
    number: str = Field(description="Số hiệu (hoặc tên) của văn bản.")
    at: str = Field(description="Ngày xét (ISO 8601).")
    validity: Status
    label: str = Field(description="Tình trạng bằng tiếng Việt (Còn hiệu lực, Hết hiệu lực toàn bộ…).")
    effective_from: str | None
    expired_from: str | None
    replaced_by: str | None = Field(description="Văn bản thay thế, nếu có.")
    expired_by: str | None = Field(description="Văn bản tuyên bố hết hiệu lực (hoặc thay thế).")
    effective_evidence: dict[str, Any] | None = Field(description="Câu nêu ngày có hiệu lực và nơi nêu.")
    evidence: list[dict[str, Any]] = Field(description="Các điều khoản quyết định tình trạng.")
    repealed_parts: list[dict[str, Any]] = Field(description="Các phần đã bị bãi bỏ, thay thế.")
    amended_by: list[dict[str, Any]] = Field(description="Các văn bản sửa đổi, bổ sung.")
    conflicts: list[dict[str, Any]] = Field(
        description="Các điều khoản mâu thuẫn nhau (hai văn bản cùng thay thế một)."
    )
    reason: str = Field(description="Lý do, bằng tiếng Việt.")
    in_corpus: bool = Field(description="Toàn văn có trong kho.")
    in_catalog: bool = Field(description="Có trong danh mục Pháp điển.")
    doc_id: str | None = Field(description="Mã văn bản trong kho.")
    type: str | None = None
    title: str | None = None
    date: str | None = None
    issuer: str | None = None
    relations: list[RelationEntry] = Field(description="Quan hệ với văn bản khác, cả hai chiều.")
