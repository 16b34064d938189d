"""`tracuu backup FILE` and `tracuu restore FILE`: a data folder's whole knowledge base in one file — the store
(documents, tasks, progress, citations, relations, cached vectors; a consistent SQLite snapshot taken with
SQLite's online backup, so a running server keeps serving), the current index generation and the uploaded
files — and back.

The file is a gzipped tar with a `MANIFEST.json` (format, schema version, counts, each member's SHA-256),
checked before anything is written on restore. A restore builds the new folder beside the old one and swaps
them, keeping the old one as `<home>.before-restore-<time>`: nothing is lost if it stops half way."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracuu.core.errors import InvalidArgument
from tracuu.index.search import index_dir
from tracuu.index.store import DB_NAME, SCHEMA_VERSION, Store

from .lock import writer_lock

FORMAT = "tracuu-backup"
VERSION = 1


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while piece := fh.read(1 << 20):
            h.update(piece)
    return h.hexdigest()


def backup(home: Path, target: Path, lock_timeout: float = 600.0) -> dict[str, Any]:
    """Write the backup of `home` to `target` (a .tar.gz); returns its manifest."""
    home = Path(home).resolve()
    db = home / DB_NAME
    if not db.exists():
        raise InvalidArgument(f"{home}: không có kho dữ liệu để sao lưu (chưa có {DB_NAME}).")
    with tempfile.TemporaryDirectory(
        prefix="tracuu-backup-", dir=target.parent if target.parent.exists() else None
    ) as tmp:
        staging = Path(tmp)
        with writer_lock(home, lock_timeout):  # no index generation swaps, no document half written meanwhile
            src = sqlite3.connect(db)
            dst = sqlite3.connect(staging / DB_NAME)
            try:
                src.backup(dst)  # a consistent snapshot, readers and the server go on
            finally:
                dst.close()
                src.close()
            index = index_dir(home)
            current = (index / "CURRENT").read_text().strip() if (index / "CURRENT").exists() else None
            if current:
                shutil.copytree(index / current, staging / "index" / current)
                (staging / "index" / "CURRENT").write_text(current)
            for folder in ("uploads", "evidence"):  # uploaded documents, progress evidence
                if (home / folder).is_dir():
                    shutil.copytree(home / folder, staging / folder, ignore=shutil.ignore_patterns(".*.part"))
        store = Store.open(staging)
        try:
            counts = {k: v for k, v in store.counts().items()}
            counts["progress"] = len(store.progress())
        finally:
            store.close()
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT, "version": VERSION, "schema": SCHEMA_VERSION, "home": str(home),
            "created": datetime.now(UTC).isoformat(timespec="seconds"), "counts": counts,
            "files": {str(p.relative_to(staging)): _sha256(p) for p in files},
        }  # fmt: skip
        part = target.with_name(f".{target.name}.part")
        with tarfile.open(part, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("MANIFEST.json")
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            for p in files:
                tar.add(p, arcname=str(p.relative_to(staging)), recursive=False)
        os.replace(part, target)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, or a clear refusal naming the file."""
    try:
        with tarfile.open(source, "r:gz") as tar:
            member = tar.extractfile("MANIFEST.json")
            manifest = json.loads(member.read()) if member else None
    except FileNotFoundError:
        raise InvalidArgument(f"{source}: không có tệp này.") from None
    except (tarfile.TarError, KeyError, OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidArgument(f"{source}: không phải tệp sao lưu tracuu (hỏng hoặc sai định dạng).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidArgument(f"{source}: không phải tệp sao lưu tracuu.")
    if manifest.get("schema", 0) > SCHEMA_VERSION:
        raise InvalidArgument(f"{source}: sao lưu từ phiên bản tracuu mới hơn (lược đồ {manifest['schema']} > "
                              f"{SCHEMA_VERSION}); hãy cập nhật tracuu.")  # fmt: skip
    return manifest


def restore(source: Path, home: Path, force: bool = False, lock_timeout: float = 600.0) -> dict[str, Any]:
    """Replace `home`'s knowledge base with the backup's (`force` when it already holds one)."""
    home = Path(home).resolve()
    manifest = read_manifest(source)
    if (home / DB_NAME).exists() and not force:
        raise InvalidArgument(f"{home} đã có kho dữ liệu; thêm --force để thay bằng bản sao lưu (kho cũ được giữ "
                              "lại bên cạnh).")  # fmt: skip
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}.restore-", dir=home.parent))
    try:
        with tarfile.open(source, "r:gz") as tar:
            names = [m.name for m in tar.getmembers() if m.isfile() and m.name != "MANIFEST.json"]
            if sorted(names) != sorted(manifest["files"]):
                raise InvalidArgument(f"{source}: danh sách tệp không khớp bản kê (MANIFEST.json): tệp hỏng.")
            tar.extractall(staging, members=[m for m in tar.getmembers() if m.name != "MANIFEST.json"],
                           filter="data")  # fmt: skip
        for name, digest in manifest["files"].items():
            if _sha256(staging / name) != digest:
                raise InvalidArgument(f"{source}: tệp {name} trong bản sao lưu bị hỏng (SHA-256 không khớp).")
        _move_uploads(staging, Path(manifest["home"]), home)
        store = Store.open(staging)  # migrates an older schema
        store.close()
        with writer_lock(home, lock_timeout):
            kept = None
            if any(p.name not in ("write.lock", "write.lock.json") for p in home.iterdir()):
                kept = home.with_name(f"{home.name}.before-restore-{int(time.time())}")
                home.rename(kept)  # the lock held moves with it: nobody else writes there
                staging.rename(home)
            else:
                for p in staging.iterdir():
                    os.replace(p, home / p.name)
                staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {"restored": str(home), "kept": str(kept) if kept else None, "counts": manifest["counts"],
            "created": manifest["created"]}  # fmt: skip


def _move_uploads(staging: Path, old_home: Path, home: Path) -> None:
    """Uploaded documents keep their path in the store: point them into the new folder's uploads."""
    if old_home == home:
        return
    conn = sqlite3.connect(staging / DB_NAME)
    try:
        old, new = str(old_home / "uploads") + os.sep, str(home / "uploads") + os.sep
        conn.execute("UPDATE documents SET source_path = ? || substr(source_path, ?) WHERE source_path LIKE ?",
                     (new, len(old) + 1, old.replace("%", "\\%") + "%"))  # fmt: skip
        conn.commit()
    finally:
        conn.close()
