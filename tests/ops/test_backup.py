"""`tracuu backup` / `tracuu restore`: a round trip gives back the same knowledge base — documents, tasks,
progress, the index (searchable, doctor clean) and the uploaded files, moved to the new folder — and a
damaged or foreign file, or a folder that already holds a knowledge base, is refused with a clear message."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, indexed_home
from tracuu.api.cli import cli
from tracuu.core.app import Tracuu
from tracuu.core.errors import InvalidArgument
from tracuu.core.settings import Settings
from tracuu.ops.doctor import diagnose

pytestmark = pytest.mark.embedded_only  # PostgreSQL stores are backed up with pg_dump


def run(home: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, ["--home", str(home), *args])
    return r.exit_code, r.output


def snapshot(home: Path) -> dict:
    with Tracuu(Settings(home=home)) as app:
        tasks = app.tasks()["tasks"]
        return {"docs": app.documents(),
                "tasks": [(t["task_id"], t["lead"], t["progress"] and t["progress"]["note"]) for t in tasks],
                "search": [h["citation"] for h in app.search("trợ giúp xã hội", k=3, mode="lexical")["results"]]}  # fmt: skip


def test_round_trip_and_refusals(tmp_path):
    home = indexed_home(tmp_path / "home", [SEED])
    uploads = home / "uploads"
    uploads.mkdir()
    (uploads / "ke-hoach-tai-len.txt").write_text("tệp đã tải lên", encoding="utf-8")
    with Tracuu(Settings(home=home)) as app:
        tid = next(t["task_id"] for t in app.tasks()["tasks"] if t["deadline"] == "định kỳ hàng năm")
        proof = tmp_path / "bao-cao-2022.pdf"
        proof.write_bytes(b"%PDF-1.4 bao cao nam 2022")
        kept = app.record_progress(tid, "done", "Đã báo cáo năm 2022", "2022", evidence=proof)["recorded"][
            "evidence"
        ]
        assert kept["name"] == "bao-cao-2022.pdf" and (home / kept["file"]).read_bytes() == proof.read_bytes()
        (tmp_path / "rong.pdf").write_bytes(b"")
        with pytest.raises(InvalidArgument, match="rong.pdf"):
            app.record_progress(tid, "done", "", "2022", evidence=tmp_path / "rong.pdf")
    before = snapshot(home)
    code, out = run(home, "backup", str(tmp_path / "kb.tar.gz"))
    assert code == 0 and "1 bản ghi tiến độ" in out

    other = tmp_path / "other"
    code, out = run(other, "restore", str(tmp_path / "kb.tar.gz"))
    assert code == 0, out
    assert snapshot(other) == before and before["search"]
    assert any(note == "Đã báo cáo năm 2022" for _, _, note in before["tasks"])
    assert (other / "uploads" / "ke-hoach-tai-len.txt").read_text(encoding="utf-8") == "tệp đã tải lên"
    assert (other / kept["file"]).read_bytes() == b"%PDF-1.4 bao cao nam 2022"  # evidence came along
    assert [f.code for f in diagnose(other)] == []
    code, out = run(other, "audit", "--json")
    logged = [(e["action"], e["actor"].split(":")[0]) for e in json.loads(out)["entries"]]
    assert (
        code == 0 and logged[0] == ("restore", "cli") and ("progress", "cli") in logged
    )  # the old log came along

    code, out = run(other, "restore", str(tmp_path / "kb.tar.gz"))
    assert code != 0 and "--force" in out  # a knowledge base is there already
    code, out = run(other, "restore", str(tmp_path / "kb.tar.gz"), "--force", "--json")
    assert code == 0 and Path(json.loads(out)["kept"]).is_dir() and snapshot(other) == before

    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes((tmp_path / "kb.tar.gz").read_bytes()[:5000])
    code, out = run(tmp_path / "third", "restore", str(broken))
    assert (
        code != 0
        and "broken.tar.gz" in out
        and "Traceback" not in out
        and not (tmp_path / "third" / "tracuu.sqlite3").exists()
    )

    evil = tmp_path / "evil.tar.gz"  # a member outside the folder, listed in its own manifest
    with tarfile.open(evil, "w:gz") as tar:
        body = json.dumps({"format": "tracuu-backup", "version": 1, "schema": 1, "home": "/x", "created": "",
                           "counts": {}, "files": {"../../outside.txt": "0"}}).encode()  # fmt: skip
        for name, data in (("MANIFEST.json", body), ("../../outside.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    code, out = run(tmp_path / "fourth", "restore", str(evil))
    assert code != 0 and "Traceback" not in out and not (tmp_path / "outside.txt").exists()
