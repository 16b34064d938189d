"""kill -9 during `tracuu ingest` of a folder, at random moments and at chosen points (between two
documents, inside an index save, between writing a generation and swapping to it). After every kill the
data directory must open consistently: SQLite intact, the index readable, each document either fully
stored (all its chunks) or absent, and each indexed document indexed whole. A re-run completes the job,
and `tracuu doctor` then finds nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from tracuu.index.search import Searcher, index_dir
from tracuu.index.store import Store
from tracuu.ops.doctor import diagnose

DATA = ROOT / "tests" / "data"
FILES = [CORPUS / "quyet-dinh-161-QD-TTg-2016-partial.md", DATA / "du-thao-bao-cao.md"]
TOLERATED = {"not-indexed", "stale-index", "leftover-files"}  # the index may lag the store, never disagree


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "TRACUU_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRACUU_WORKERS": "1"}


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracuu.api.cli", *args], env=env(home), capture_output=True,
                          text=True, timeout=600)  # fmt: skip


# Runs the CLI with one function patched to SIGKILL the process on its n-th call, before or after it runs.
INJECT = """
import importlib, os, signal, sys
target, when, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
module, _, path = target.partition(":")
owner = importlib.import_module(module)
*parents, name = path.split(".")
for p in parents:
    owner = getattr(owner, p)
original, calls = getattr(owner, name), [0]
def patched(*args, **kwargs):
    calls[0] += 1
    if calls[0] == nth and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if calls[0] == nth and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(owner, name, patched)
from tracuu.api.cli import main
sys.argv = ["tracuu", *sys.argv[4:]]
main()
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A data directory with one indexed document and every file's vectors already cached (so each trial
    spends its time parsing, storing and saving, where the kills land), plus the folder to ingest and
    the chunk count each document must have when stored whole."""
    root = tmp_path_factory.mktemp("crash")
    folder = root / "in"
    folder.mkdir()
    for f in FILES:
        shutil.copy(f, folder / f.name)
    plan = (DATA / "ke-hoach-thu-nghiem.md").read_text(encoding="utf-8")  # a third, distinct document
    (folder / "ke-hoach-2.md").write_text(plan.replace("1876/KH-UBND", "1877/KH-UBND"), encoding="utf-8")
    first = root / "first"
    first.mkdir()
    shutil.copy(DATA / "ke-hoach-thu-nghiem.md", first / "ke-hoach-thu-nghiem.md")
    home = root / "home"
    for args in (("ingest", str(first)), ("index",), ("ingest", str(folder))):
        r = cli(home, *args)
        assert r.returncode == 0, r.stderr
    store = Store.open(home)
    chunks = {Path(d["source_path"]).name: len(store.chunks(d["doc_id"])) for d in store.documents()}
    for d in store.documents():
        if Path(d["source_path"]).parent == folder:
            store.delete(d["doc_id"])
    store.close()
    assert cli(home, "index").returncode == 0  # back to one document; the vectors stay cached
    assert [f.code for f in diagnose(home)] == []
    return {"home": home, "folder": folder, "chunks": chunks}


def trial(base, tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    shutil.copytree(base["home"], home)
    return home


def run_killed(cmd: list[str], home: Path, after_s: float) -> int:
    proc = subprocess.Popen(cmd, env=env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    try:
        proc.wait(timeout=after_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.returncode


def assert_consistent(home: Path, chunks: dict[str, int]) -> None:
    codes = {f.code for f in diagnose(home)}
    assert codes <= TOLERATED, codes
    store = Store.open(home)
    try:
        for d in store.documents():  # stored whole or not at all
            assert len(store.chunks(d["doc_id"])) == chunks[Path(d["source_path"]).name], d["doc_id"]
        from tracuu.index.backend import LocalIndex

        index = LocalIndex.load(index_dir(home))
        hits = Searcher(store, index, None).search("kế hoạch thử nghiệm", k=5, mode="lexical")
        assert hits and {h.doc_id for h in hits} <= {d["doc_id"] for d in store.documents()}
    finally:
        store.close()


def assert_recovers(home: Path, base) -> None:
    r = cli(home, "ingest", str(base["folder"]))
    assert r.returncode == 0, r.stderr
    assert diagnose(home) == []
    store = Store.open(home)
    try:
        names = {Path(d["source_path"]).name for d in store.documents()}
        assert names == set(base["chunks"])
    finally:
        store.close()


POINTS = [
    ("tracuu.index.store:Store.put", "after", 1),  # one document stored, the index not yet synced
    ("tracuu.index.store:Store.put", "before", 3),  # two of three stored
    ("tracuu.index.lexical:LexicalIndex.save", "before", 1),  # half a generation written
    ("os:rename", "before", 1),  # a complete generation not yet renamed into place
    ("os:replace", "before", 1),  # a generation in place, CURRENT not swapped
    ("shutil:rmtree", "before", 1),  # swapped, the old generation not removed
]


@pytest.mark.parametrize("point", POINTS, ids=[f"{p[0].split(':')[1]}-{p[1]}-{p[2]}" for p in POINTS])
def test_kill_at_a_chosen_point(base, tmp_path, point):
    home = trial(base, tmp_path, "h")
    target, when, nth = point
    cmd = [sys.executable, "-c", INJECT, target, when, str(nth), "ingest", str(base["folder"])]
    assert run_killed(cmd, home, after_s=300) == -signal.SIGKILL  # the kill happened at the point
    assert_consistent(home, base["chunks"])
    assert_recovers(home, base)


def test_kill_at_random_moments(base, tmp_path):
    home = trial(base, tmp_path, "timing")
    start = time.monotonic()
    assert cli(home, "ingest", str(base["folder"])).returncode == 0
    full = time.monotonic() - start
    rng = random.Random(20261129)
    killed = 0
    for i in range(4):
        home = trial(base, tmp_path, f"t{i}")
        cmd = [sys.executable, "-m", "tracuu.api.cli", "ingest", str(base["folder"])]
        killed += run_killed(cmd, home, after_s=rng.uniform(0.5, full)) == -signal.SIGKILL
        assert_consistent(home, base["chunks"])
        assert_recovers(home, base)
    assert killed >= 2  # most runs were really interrupted


def test_doctor_repairs_a_broken_index(base, tmp_path):
    home = trial(base, tmp_path, "broken")
    gen = (index_dir(home) / "CURRENT").read_text().strip()
    (index_dir(home) / gen / "vectors.npy").write_bytes(b"not numpy")
    assert {f.code for f in diagnose(home)} == {"index-broken"}
    r = cli(home, "doctor")
    assert r.returncode == 1 and "index-broken" in r.stdout
    r = cli(home, "doctor", "--repair", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert diagnose(home) == []


def test_second_writer_waits_or_gets_a_clear_error(base, tmp_path):
    from tracuu.ops.lock import writer_lock

    home = trial(base, tmp_path, "locked")
    with writer_lock(home):
        r = subprocess.run([sys.executable, "-m", "tracuu.api.cli", "index"], capture_output=True, text=True,
                           env={**env(home), "TRACUU_LOCK_TIMEOUT": "1"}, timeout=120)  # fmt: skip
    assert r.returncode == 1
    assert "đang được ghi bởi tiến trình" in r.stderr and "Traceback" not in r.stderr
    assert cli(home, "index").returncode == 0  # free again once the holder is gone


def test_an_index_or_store_from_elsewhere_is_refused_with_a_way_out(base, tmp_path):
    import json
    import sqlite3

    home = trial(base, tmp_path, "versions")
    manifest = index_dir(home) / (index_dir(home) / "CURRENT").read_text().strip() / "manifest.json"
    original = json.loads(manifest.read_text())
    search = ("search", "kế hoạch", "--mode", "lexical", "--json")
    manifest.write_text(json.dumps({**original, "schema": original["schema"] + 1}))
    r = cli(home, *search)
    assert r.returncode == 1 and "mới hơn" in r.stderr and "Traceback" not in r.stderr
    manifest.write_text(json.dumps({**original, "tokenizer": "another-tokenizer/9"}))
    r = cli(home, *search)
    assert r.returncode == 1 and "tracuu index --rebuild" in r.stderr
    assert {f.code for f in diagnose(home)} == {"index-mismatch"}
    assert cli(home, "doctor", "--repair").returncode == 0  # the migration path: rebuilt from the store
    assert json.loads(cli(home, *search).stdout)["results"]
    conn = sqlite3.connect(home / "tracuu.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    r = cli(home, *search)
    assert r.returncode == 1 and "mới hơn" in r.stderr and "Traceback" not in r.stderr


def test_switching_the_adapter_is_switching_model(base, tmp_path, monkeypatch):
    """Switching the adapter (TRACUU_ADAPTER) is switching model: the index built by the other one is refused
    for dense search with the way out, `doctor` names it, and `doctor --repair` re-embeds."""
    import json

    home = trial(base, tmp_path, "adapter")
    monkeypatch.setenv("TRACUU_ADAPTER", "legal-vi")  # env() copies os.environ
    r = cli(home, "search", "kế hoạch", "--mode", "dense", "--json")
    assert r.returncode == 1 and "tracuu index --rebuild" in r.stderr and "Traceback" not in r.stderr
    out = json.loads(cli(home, "doctor", "--json").stdout)
    assert out["model"]["adapter"] == "legal-vi" and out["model"]["key"].startswith(
        "multilingual-e5-small-legal-vi@"
    )
    assert [f["code"] for f in out["findings"]] == ["index-mismatch"]
    assert cli(home, "doctor", "--repair").returncode == 0
    assert json.loads(cli(home, "search", "kế hoạch", "--mode", "dense", "--json").stdout)["results"]
    monkeypatch.delenv("TRACUU_ADAPTER")
    assert [f["code"] for f in json.loads(cli(home, "doctor", "--json").stdout)["findings"]] == [
        "index-mismatch"
    ]


def test_doctor_keeps_uploads_of_stored_documents_however_the_home_is_spelled(tmp_path, monkeypatch):
    """A server started with a relative home stores relative upload paths; doctor run with the absolute
    home must still see those files as belonging to their documents (and only old strays as orphans)."""
    from tracuu.ingest.pipeline import ingest_file

    monkeypatch.chdir(tmp_path)
    uploads = Path("h") / "uploads"
    uploads.mkdir(parents=True)
    kept, stray = uploads / "ke-hoach.md", uploads / "khong-thuoc-van-ban.md"
    shutil.copy(DATA / "ke-hoach-thu-nghiem.md", kept)
    shutil.copy(DATA / "du-thao-bao-cao.md", stray)
    store = Store.open("h")
    store.put(ingest_file(kept))
    store.close()
    old = time.time() - 3 * 86_400
    for f in (kept, stray):
        os.utime(f, (old, old))
    orphans = [f.path for f in diagnose(tmp_path / "h") if f.code == "orphan-upload"]
    assert [Path(p).name for p in orphans] == [stray.name]


def test_progress_written_while_the_server_is_killed_is_never_lost(base, tmp_path):
    """kill -9 of `tracuu serve` while a client records progress as fast as it can, three times: every record
    the server acknowledged (201) is there afterwards, each whole; SQLite intact; the rest of the data folder
    as consistent as after any kill."""
    import socket
    import threading

    import httpx

    from tracuu.knowledge.progress import STATES
    from tracuu.knowledge.tasks import task_json

    home = trial(base, tmp_path, "progress")
    store = Store.open(home)
    tid = task_json(store.tasks()[0])["task_id"]
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url, auth = f"http://127.0.0.1:{port}", {"Authorization": "Bearer k"}
    acked: list[str] = []
    rng = random.Random(21)
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "tracuu.api.cli", "serve", "--port", str(port)],
                                env={**env(home), "TRACUU_API_TOKEN": "k"}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        with httpx.Client(timeout=10) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get(url + "/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
            killer = threading.Timer(rng.uniform(0.3, 1.5), lambda p=proc: os.killpg(p.pid, signal.SIGKILL))
            killer.start()
            i = 0
            while proc.poll() is None:
                try:
                    r = client.post(f"{url}/tasks/{tid}/progress", headers=auth,
                                    json={"state": "in_progress", "note": f"vòng {round_}, lần {i}"})  # fmt: skip
                except httpx.TransportError:
                    break
                if r.status_code == 201:
                    acked.append(r.json()["recorded"]["id"])
                i += 1
            killer.join()
            proc.wait()
    assert len(acked) > 3
    store = Store.open(home)
    try:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = store.progress([tid])
        assert set(acked) <= {r["id"] for r in rows}
        assert all(r["state"] in STATES and r["note"].startswith("vòng ") and r["at"] for r in rows)
    finally:
        store.close()
    assert {f.code for f in diagnose(home)} <= TOLERATED
