"""The answers to questions: search hits and cited answers (`Tracuu.search`, `Tracuu.ask`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Result
from .validity import Stamped


class Hit(Stamped):
    """One passage found (`index.search.Hit.to_dict`)."""

    chunk_id: str = Field(description="Mã đoạn: văn bản#đường dẫn đơn vị.")
    doc_id: str = Field(description="Mã văn bản.")
    doc_number: str | None = Field(description="Số hiệu văn bản (1212/KH-UBND).")
    doc_title: str | None = Field(description="Trích yếu văn bản.")
    section: str = Field(description="Đường dẫn các đề mục chứa đoạn (III.2 › …).")
    text: str = Field(description="Nguyên văn đoạn.")
    page: int | None = Field(description="Trang (tệp PDF), nếu biết.")
    score: float = Field(description="Điểm xếp hạng.")
    citation: str = Field(description="Trích dẫn chính thức của đoạn.")
    doc_type: str | None = Field(default=None, description="Loại văn bản (Kế hoạch, Nghị định…).")
    context: str | None = Field(default=None, description="Các đề mục phía trên đoạn.")
    start: int | None = Field(default=None, description="Vị trí bắt đầu trong văn bản (ký tự).")
    end: int | None = Field(default=None, description="Vị trí kết thúc trong văn bản (ký tự).")


class SearchResult(Result):
    """`tracuu search --json`, GET /search."""

    query: str = Field(description="Câu truy vấn như đã gõ.")
    restored_query: str | None = Field(description="Câu truy vấn đã khôi phục dấu (null: không cần).")
    results: list[Hit] = Field(description="Các đoạn tìm được, tốt nhất trước.")
    mode: str | None = Field(default=None, description="Cách tìm đã chạy thật: hybrid, dense hoặc lexical.")


class AnswerReference(Stamped):
    """A document the answer rests on or the evidence cites (`references` of an answer)."""

    number: str | None = Field(description="Số hiệu.")
    type: str | None = Field(description="Loại văn bản.")
    date: str | None = Field(description="Ngày ban hành (ISO 8601).")
    issuer: str | None = Field(description="Cơ quan ban hành.")
    in_corpus: bool = Field(description="Văn bản có trong kho.")
    doc_id: str | None = Field(description="Mã văn bản trong kho (null: chưa có).")
    title: str | None = Field(description="Trích yếu hoặc tên văn bản.")
    problems: list[str] = Field(description="Lỗi viện dẫn phát hiện được.")
    citation: str = Field(
        description="Trích dẫn chuẩn (đến Điều/Khoản/Điểm khi là quy định chứa câu trả lời)."
    )
    unit: str | None = Field(default=None, description="Đơn vị (Điều, Khoản, Điểm) chứa quy định.")
    unit_path: str | None = Field(default=None, description="Đường dẫn đơn vị trong dàn ý văn bản.")


class Conflict(Result):
    """Another assignment of the same work in the same document, to another lead."""

    lead: str | None = Field(description="Cơ quan chủ trì theo phần này.")
    leads: list[str] = Field(description="Mọi cơ quan đồng chủ trì.")
    task: str = Field(description="Nội dung nhiệm vụ.")
    citation: str = Field(description="Trích dẫn của phần giao việc này.")


class Amount(Result):
    """A sum computed as coefficient × base amount, both clauses cited."""

    coefficient: str = Field(description="Hệ số như văn bản ghi (1,5).")
    base: str = Field(description="Mức chuẩn như văn bản ghi (360.000).")
    unit: str = Field(description="Đơn vị tiền (đồng/tháng).")
    value: str = Field(description="Kết quả (540.000).")
    base_citation: str = Field(description="Trích dẫn điều khoản quy định mức chuẩn.")
    base_name: str = Field(description="Tên mức chuẩn.")
    text: str = Field(description="Phép tính bằng lời.")


class Answer(Result):
    """The answer: who leads, which documents, the text; nothing generated."""

    lead: str | None = Field(description="Cơ quan chủ trì (null: không có căn cứ đủ tin cậy).")
    cooperating: list[str] = Field(description="Cơ quan phối hợp.")
    references: list[AnswerReference] = Field(
        description="Văn bản và điều khoản làm căn cứ, rồi văn bản được viện dẫn."
    )
    text: str = Field(description="Câu trả lời, trích nguyên văn kèm trích dẫn.")
    leads: list[str] | None = Field(default=None, description="Mọi cơ quan đồng chủ trì, `lead` trước.")
    conflicts: list[Conflict] | None = Field(
        default=None,
        description="Văn bản giao cùng việc cho cơ quan khác nữa (phần thân và phụ lục khác nhau).",
    )
    amount: Amount | None = Field(default=None, description="Mức tiền tính theo hệ số × mức chuẩn.")
    validity_notes: list[str] | None = Field(
        default=None, description="Văn bản làm căn cứ đã hết hoặc chưa có hiệu lực."
    )


class Evidence(Stamped):
    """A passage the answer rests on (or a named document's header, `section` "header")."""

    chunk_id: str = Field(description="Mã đoạn.")
    doc_id: str = Field(description="Mã văn bản.")
    section: str = Field(description="Đường dẫn đề mục.")
    text: str = Field(description="Nguyên văn đoạn.")
    citation: str = Field(description="Trích dẫn chính thức.")
    score: float = Field(description="Điểm xếp hạng.")
    coverage: float | None = Field(default=None, description="Tỷ lệ từ của câu hỏi có trong đoạn (0–1).")


class Scope(Result):
    """The place or issuer a question names, and the documents it is answered from."""

    names: list[str] = Field(description="Tỉnh, thành phố hoặc cơ quan ban hành câu hỏi nêu.")
    documents: list[str] = Field(description="Mã các văn bản của nơi đó.")


class AskResult(Result):
    """`tracuu ask --json`, GET /ask."""

    question: str = Field(description="Câu hỏi như đã gõ.")
    kind: Literal["lead_agency", "reference", "passage"] = Field(description="Loại câu hỏi.")
    policy_kind: str | None = Field(
        default=None,
        description="Loại câu hỏi chính sách: document, eligibility, amount, procedure, deadline, authority.",
    )
    answer: Answer
    evidence: list[Evidence] = Field(description="Đoạn trích làm căn cứ.")
    scope: Scope | None = Field(
        default=None, description="Phạm vi, khi câu hỏi nêu tỉnh, thành phố hay cơ quan."
    )
