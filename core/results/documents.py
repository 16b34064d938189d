"""Documents: summaries, pages of the list, one document's metadata and outline, a unit, an upload."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import Result
from .validity import RelationEntry, Stamped


class DocumentSummary(Stamped):
    """The short form of a document every list gives."""

    doc_id: str = Field(description="Mã văn bản.")
    number: str | None = Field(description="Số hiệu.")
    type: str | None = Field(description="Loại văn bản.")
    date: str | None = Field(description="Ngày ban hành (ISO 8601).")
    issuer: str | None = Field(description="Cơ quan ban hành.")
    title: str | None = Field(description="Trích yếu.")
    units: int | None = Field(description="Số đơn vị trong dàn ý.")
    chunks: int | None = Field(description="Số đoạn đã lập chỉ mục.")
    relations: list[RelationEntry] | None = Field(
        default=None, description="Quan hệ với văn bản khác, cả hai chiều, kèm điều khoản nêu."
    )


class DocumentPage(Result):
    """GET /documents: one page of the document list."""

    documents: list[DocumentSummary] = Field(description="Văn bản của trang này.")
    total: int = Field(description="Tổng số văn bản thỏa bộ lọc.")
    offset: int = Field(description="Số văn bản đã bỏ qua.")
    limit: int = Field(description="Số văn bản tối đa một trang.")


class DocumentList(Result):
    """`tracuu docs --json`: every document, unpaged."""

    documents: list[DocumentSummary]


class IndexStats(Result):
    """What an upload changed in the search index."""

    added_docs: int | None = None
    removed_docs: int | None = None
    added_rows: int | None = None
    removed_rows: int | None = None
    embedded: int | None = Field(default=None, description="Đoạn vừa tính vector.")
    pending: int | None = Field(default=None, description="Đoạn còn chờ vector (tính dần trong nền).")
    filled: int | None = Field(default=None, description="Đoạn chờ vector vừa được điền.")


class UploadResult(DocumentSummary):
    """POST /documents: the stored document's summary, and (a new file) what the index added."""

    index: IndexStats | None = Field(default=None, description="Thay đổi của chỉ mục (chỉ khi tệp mới).")


class OutlineEntry(Result):
    """One unit of a document's outline."""

    path: str = Field(description="Đường dẫn ổn định của đơn vị (III.2, C2.D32.K1.a).")
    kind: str = Field(description="part, section, point, chapter, article, clause…")
    label: str = Field(description="Nhãn như văn bản ghi (III, Điều 32).")
    section: str = Field(description="Đường dẫn đề mục để hiển thị.")
    heading: str = Field(description="Dòng đầu của đơn vị.")
    level: int = Field(description="Cấp trong dàn ý.")
    start: int = Field(description="Vị trí bắt đầu (ký tự).")
    end: int = Field(description="Vị trí kết thúc (ký tự).")
    page_start: int | None = Field(description="Trang bắt đầu (PDF).")


class CitedDocument(Result):
    """A document cited (each once)."""

    number: str | None = Field(description="Số hiệu (null: luật viện dẫn theo tên).")
    type: str | None = Field(description="Loại văn bản.")
    label: str = Field(description="Tên gọi ngắn (Quyết định số 161/QĐ-TTg).")
    in_corpus: bool = Field(description="Có trong kho.")
    doc_id: str | None = Field(description="Mã trong kho (null: chưa có).")


class CitingDocument(Result):
    """A document of the store that cites this one."""

    doc_id: str = Field(description="Mã văn bản viện dẫn.")
    number: str | None = Field(description="Số hiệu của nó.")
    type: str | None = Field(description="Loại văn bản.")
    title: str | None = Field(description="Trích yếu.")
    section: str | None = Field(description="Đề mục nơi viện dẫn.")


class DocumentInfo(Stamped):
    """`tracuu show --json`, GET /documents/{ref}: metadata, outline and citations both ways."""

    doc_id: str = Field(description="Mã văn bản.")
    number: str | None = Field(description="Số hiệu.")
    type: str | None = Field(description="Loại văn bản.")
    date: str | None = Field(description="Ngày ban hành (ISO 8601).")
    issuer: str | None = Field(description="Cơ quan ban hành (dạng ngắn).")
    issuer_full: str | None = Field(description="Cơ quan ban hành (đầy đủ, như trong trích dẫn).")
    place: str | None = Field(description="Địa danh ghi cạnh ngày.")
    title: str | None = Field(description="Trích yếu.")
    signer: str | None = Field(description="Người ký.")
    signer_title: str | None = Field(description="Chức vụ người ký.")
    recipients: list[str] = Field(description="Nơi nhận.")
    kind: str = Field(description="admin (kế hoạch, quyết định, công văn) hoặc legal (Chương/Điều/Khoản).")
    source_path: str = Field(description="Đường dẫn tệp nguồn.")
    metadata: dict[str, Any] = Field(description="Thông tin kèm tệp (nguồn, mức đầy đủ…).")
    warnings: list[str] = Field(description="Cảnh báo khi đọc tệp.")
    units: int = Field(description="Số đơn vị trong dàn ý.")
    chunks: int = Field(description="Số đoạn đã lập chỉ mục.")
    outline: list[OutlineEntry] = Field(description="Dàn ý.")
    cites: list[CitedDocument] = Field(description="Văn bản mà văn bản này viện dẫn.")
    cited_by: list[CitingDocument] = Field(description="Văn bản trong kho viện dẫn văn bản này.")
    replaced_by: str | None = Field(default=None, description="Văn bản thay thế, nếu có.")
    validity_label: str | None = Field(default=None, description="Tình trạng hiệu lực bằng tiếng Việt.")
    validity_conflicts: list[dict[str, Any]] | None = Field(
        default=None,
        description="Các văn bản cùng thay thế hoặc tuyên bố hết hiệu lực văn bản này (mâu thuẫn).",
    )
    relations: list[RelationEntry] | None = Field(
        default=None, description="Quan hệ với văn bản khác, cả hai chiều, kèm điều khoản nêu."
    )


class UnitText(Result):
    """GET /documents/{ref}/units/{path}: one unit's text with its formal citation."""

    doc_id: str = Field(description="Mã văn bản.")
    path: str = Field(description="Đường dẫn đơn vị.")
    ord: int | None = Field(default=None, description="Thứ tự trong dàn ý.")
    kind: str | None = Field(default=None, description="Loại đơn vị.")
    label: str | None = Field(default=None, description="Nhãn như văn bản ghi.")
    heading: str = Field(description="Dòng đầu của đơn vị.")
    section: str | None = Field(default=None, description="Đường dẫn đề mục.")
    level: int | None = Field(default=None, description="Cấp trong dàn ý.")
    parent: str | None = Field(default=None, description="Đường dẫn đơn vị cha.")
    start: int | None = Field(default=None, description="Vị trí bắt đầu (ký tự).")
    end: int | None = Field(default=None, description="Vị trí kết thúc (ký tự).")
    body_end: int | None = Field(
        default=None, description="Hết phần chữ riêng của đơn vị (trước đơn vị con)."
    )
    page_start: int | None = Field(default=None, description="Trang bắt đầu (PDF).")
    page_end: int | None = Field(default=None, description="Trang kết thúc (PDF).")
    text: str = Field(description="Nguyên văn đơn vị.")
    citation: str = Field(description="Trích dẫn chính thức.")
