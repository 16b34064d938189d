"""One error hierarchy for the whole product. Every error a user can meet carries a stable `code` (what a
program matches on) and a Vietnamese `detail` (what a person reads); each door maps codes to its own
answer in one table (HTTP status, CLI exit code, MCP error). A leaf module: every layer may import it."""

from __future__ import annotations


class TracuuError(Exception):
    """Base of every error the product reports. `detail` is a whole Vietnamese sentence; `title` a few words
    for a heading (the HTTP problem's title)."""

    code = "error"
    title = "lỗi"

    def __init__(self, detail: str, *, code: str | None = None, title: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title

    def __reduce__(self):  # survive the trip back from a worker process
        return (_rebuild, (type(self), self.detail, self.code, self.title))


def _rebuild(kind: type[TracuuError], detail: str, code: str, title: str) -> TracuuError:
    error = kind.__new__(kind)
    TracuuError.__init__(error, detail, code=code, title=title)
    return error


class NotFound(TracuuError):
    """A document, unit, agency or task the request names is not in the knowledge base."""

    code = "not-found"
    title = "không tìm thấy"


class InvalidArgument(TracuuError):
    """A parameter that cannot be used as given (empty, unknown type, malformed)."""

    code = "invalid-argument"
    title = "tham số không hợp lệ"


class Busy(TracuuError):
    """Another process kept the data folder's write lock past the wait."""

    code = "busy"
    title = "kho đang được ghi"


class StoreMissing(TracuuError):
    """No knowledge base in the data folder yet."""

    code = "no-store"
    title = "chưa có kho văn bản"


class IndexUnavailable(TracuuError):
    """No search index yet, or one that cannot be read or was built with another model."""

    code = "no-index"
    title = "chưa có chỉ mục"


class VectorsPending(IndexUnavailable):
    """A dense-only search while some rows it may return still wait for their vectors (the background fill
    of `tracuu serve`); hybrid and lexical search answer meanwhile."""

    code = "vectors-pending"
    title = "đang tính vector"


class ModelMissing(TracuuError):
    """The embedding model's files are not where the settings say."""

    code = "no-model"
    title = "chưa có mô hình"


class LimitReached(TracuuError):
    """The knowledge base holds as many uploaded documents as its settings allow (TRACUU_MAX_UPLOADS)."""

    code = "too-many-documents"
    title = "kho đã đủ văn bản tải lên"


class WriterFailed(TracuuError):
    """The writer process died in the middle of a write; the knowledge base is unchanged."""

    code = "writer-died"
    title = "tiến trình ghi bị dừng"


class Forbidden(TracuuError):
    """A valid token whose scopes do not cover the write (another agency's task, a read-only token)."""

    code = "forbidden"
    title = "không có quyền"
