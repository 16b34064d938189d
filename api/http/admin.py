"""Administration routes (bearer token): the audit log of every write."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from tracuu.core.results import AuditLog

from .common import AS_GIVEN, Eng, LimitedRoute, about, param
from .write import require_token

router = APIRouter(route_class=LimitedRoute)


@router.get("/audit", response_model=AuditLog, dependencies=[Depends(require_token)], **AS_GIVEN, **about(
    "Nhật ký ghi (quản trị)",
    "Mọi lần ghi vào kho — nhập, tải lên, xóa, lập chỉ mục, sửa, khôi phục, ghi tiến độ — ai, từ đâu, lúc nào, "
    "ghi gì; mới nhất trước; chỉ thêm, không sửa, không xóa. Cần mã Bearer.",
    {"entries": [{"id": "…", "at": "2026-12-04T03:00:00+00:00", "actor": "api-token", "origin": "10.0.0.5",
                  "action": "progress", "target": "ke-hoach-1212~f993a59dcb", "detail": {"state": "done"}}]}))  # fmt: skip
def audit_log(eng: Eng, limit: Annotated[int, param("Số dòng (1–10.000).", 100, ge=1, le=10_000)] = 100,
              action: Annotated[str | None, param("Chỉ một loại: ingest, upload, delete, index, repair, "
                                                  "restore, progress.", "upload", max_length=20)] = None,
              ) -> dict[str, Any]:  # fmt: skip
    return eng.audit_log(limit, action)
