"""The application core: one object that owns the knowledge base's lifecycle — settings, the store
connections, the live index snapshot, the embedding model, the writer (lock and process) and the citation
catalog — and that every door (CLI, HTTP, MCP) calls. Errors are `tracuu.core.errors`; each door maps them.

Reads: each thread keeps its own SQLite connection (sqlite3 objects stay in their thread) and every read sees
one consistent snapshot of the database and of the index. Writes: one at a time in this process and across
processes (the data folder's file lock); the index is synced in a writer process, saved as a new generation
and swapped in with one assignment, so a search never sees a half-built index."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from tracuu.index.backend import Filters, IndexBackend, IndexMismatch, require_model
from tracuu.index.citation import cite
from tracuu.index.embed import embedder_key
from tracuu.index.live import LiveIndex
from tracuu.index.places import IndexPlace, index_place
from tracuu.index.search import Searcher
from tracuu.index.store import DB_NAME, Store, open_store
from tracuu.ingest.agencies import canonical
from tracuu.ingest.normalize import fold
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.readers import IngestError
from tracuu.ingest.structure import LEGAL_TYPES
from tracuu.knowledge import followup, ical, progress
from tracuu.knowledge.answer import ask as answer
from tracuu.knowledge.catalog import Catalog
from tracuu.knowledge.check import check_text
from tracuu.knowledge.graph import cited_by, cites, references
from tracuu.knowledge.periods import last_due
from tracuu.knowledge.tasks import agencies, agency_report, agency_tasks, task_json
from tracuu.knowledge.validity import key_of, parse_at, ref_key, stamp, with_validity
from tracuu.ops import audit, tokens
from tracuu.ops.audit import Who
from tracuu.ops.jobs import parse_file, sync_saved
from tracuu.ops.jobs import pool as worker_pool
from tracuu.ops.lock import writer_lock
from tracuu.ops.tokens import CONSOLE, Access, hidden_from

from .access import AccessMixin
from .errors import (
    Forbidden,
    IndexUnavailable,
    InvalidArgument,
    LimitReached,
    NotFound,
    StoreMissing,
    TracuuError,
    VectorsPending,
    WriterFailed,
)
from .ingesting import Progress, collect_files, ingest_paths, no_progress, reindex
from .notify import NotifyMixin
from .settings import Settings
from .vectors import FILL_THREAD, VectorFill

SUMMARY_KEYS = ("doc_id", "number", "type", "date", "issuer", "title", "units", "chunks")
META_KEYS = ("doc_id", "number", "type", "date", "issuer", "issuer_full", "place", "title", "signer",
             "signer_title", "recipients", "kind", "source_path", "metadata", "warnings")  # fmt: skip
OUTLINE_KEYS = ("path", "kind", "label", "section", "heading", "level", "start", "end", "page_start")
WRITE_WAIT_S = 30.0  # a write (upload, delete) waits at most this long for another process before "busy"


class Tracuu(AccessMixin, NotifyMixin):
    """The knowledge base as the doors see it. Create one per process (`Tracuu(settings)`), share it across
    threads, `close()` it at the end."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.uploads = Path(self.settings.home) / "uploads"
        self._place = index_place(self.settings.home, self.settings.database_url)
        self.live = LiveIndex(self._place)  # reloaded when any process saves a generation
        self.write_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._embedder: Any = None
        self._catalogs: dict[str, Catalog] = {}  # by the store's state and what the reader may see
        self._catalog_lock = threading.Lock()
        self._writer: ProcessPoolExecutor | None = None
        self._writer_lock = threading.Lock()
        self._conns = threading.local()  # one reading connection per thread
        self.uploading = threading.BoundedSemaphore(self.settings.max_concurrent_uploads)  # uploads at once
        self.fill = VectorFill(self)  # vectors computed in the background (`serve_in_background`)

    # ------------------------------------------------------------ store
    def has_store(self) -> bool:
        """A store to read: the SQLite file in the data folder, or a PostgreSQL database (always there to
        connect to; tracuu creates its tables on the first connection)."""
        return bool(self.settings.database_url) or (Path(self.settings.home) / DB_NAME).exists()

    def index_place(self) -> IndexPlace:
        """Where the index lives: the data folder, or the PostgreSQL database that holds the store (one
        object for this application: its connections are reused and closed with it)."""
        return self._place

    def open_store(self) -> Store:
        """A new connection to the store the settings name (SQLite in the data folder, or PostgreSQL)."""
        return open_store(self.settings.home, self.settings.database_url)

    def require_store(self) -> None:
        """For doors that must not create an empty knowledge base by reading (MCP, a chat tool's calls)."""
        if not self.has_store():
            raise StoreMissing(
                f"Chưa có kho văn bản ở '{self.settings.home}'; hãy chạy `tracuu ingest THƯ_MỤC` rồi "
                "`tracuu index` (hoặc đặt TRACUU_HOME về thư mục dữ liệu)."
            )

    @contextmanager
    def store(self, read: bool = True, viewer: Access | None = CONSOLE) -> Iterator[Store]:
        """A connection; a read sees one consistent database snapshot. Reads reuse their thread's connection
        (opening one, with its pragmas and schema check, costs more than a search's own queries) unless the
        database file was replaced since; writes, and a block opened inside another, get their own. A read
        for a `viewer` (the request's token; None: anonymous) leaves out the internal documents it may not
        see; the console sees everything."""
        store = self._thread_store() if read else None
        own = store is None or store.conn.in_transaction
        if own:
            store = self.open_store()
        broken = False
        try:
            if read:
                try:
                    store.conn.execute("BEGIN")
                except TracuuError:  # this thread's connection outlived its server (a failover): one afresh
                    if own:
                        raise
                    self._conns.store = None
                    store.close()
                    store, own = self.open_store(), True
                    store.conn.execute("BEGIN")
                store.hidden = hidden_from(store.internal_documents(), viewer)
            yield store
        except TracuuError:
            raise  # an answer to the user (not found, bad parameter): the connection is fine
        except BaseException:  # anything else may leave the connection in any state: the next starts afresh
            broken = True
            raise
        finally:
            store.hidden = frozenset()
            if own or broken:
                if not own:
                    self._conns.store = None
                store.close()  # also rolls back
            elif store.conn.in_transaction:
                try:
                    store.conn.execute("ROLLBACK")  # ends the read snapshot
                except TracuuError:  # the server went away since (a failover): the next read opens afresh
                    self._conns.store = None
                    store.close()

    def _thread_store(self) -> Store | None:
        """This thread's reading connection, reopened when the database file was removed or replaced."""
        file_id = self._store_id()
        store, opened_on = getattr(self._conns, "store", None), getattr(self._conns, "file_id", None)
        if store is not None and (
            file_id is None or file_id != opened_on or getattr(store.conn, "closed", False)
        ):
            store.close()
            store = self._conns.store = None
        if store is None and file_id is not None:
            store = self._conns.store = self.open_store()
            self._conns.file_id = file_id
        return store

    def _store_id(self) -> Any:
        """What tells whether a thread's connection still reads the store: the SQLite file's identity (None
        when there is no file), or the PostgreSQL URL (a server is never replaced under a connection)."""
        if self.settings.database_url:
            return self.settings.database_url
        try:
            st = os.stat(Path(self.settings.home) / DB_NAME)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def document(self, store: Store, ref: str) -> dict[str, Any]:
        """A document by id, number (any written form) or source path — the same lookup in every door."""
        found = store.find(ref)
        if found is not None and ref not in (found["doc_id"], found["source_path"]):
            carriers = store.numbered(ref)
            if len(carriers) > 1:  # never show one and delete another: the user picks by id
                raise InvalidArgument(f"Số hiệu '{ref}' có ở {len(carriers)} văn bản trong kho ({', '.join(carriers[:10])}); "
                                      "hãy dùng mã văn bản.")  # fmt: skip
        if found is None:
            raise NotFound(
                f"Không có văn bản '{ref}' trong kho (tìm theo mã, số hiệu như 1212/KH-UBND, hoặc đường dẫn tệp).",
                title="không tìm thấy văn bản",
            )
        return found

    def documents(
        self,
        doc_type: str | None = None,
        issuer: str | None = None,
        year: int | None = None,
        viewer: Access | None = CONSOLE,
    ) -> list[dict[str, Any]]:
        """Every document's summary, filtered by type (any case or accents; an unknown type is refused),
        issuer (a part of its name) and year, each with its validity today and its relations both ways."""
        return self.document_page(doc_type, issuer, year, viewer=viewer)["documents"]

    def document_page(self, doc_type: str | None = None, issuer: str | None = None, year: int | None = None,
                      offset: int = 0, limit: int | None = None, viewer: Access | None = CONSOLE
                      ) -> dict[str, Any]:  # fmt: skip
        """One page of `documents` and how many there are in all: validity and relations are worked out for
        the page only."""
        with self.store(viewer=viewer) as store:
            check_type(store, doc_type)
            rows = [summary(r) for r in store.documents()]
            ledger = self.catalog(store).ledger
        rows = [r for r in rows if _fits(r, doc_type, issuer, year)]
        page = rows[offset : None if limit is None else offset + limit]
        for r in page:
            r.update(stamp(ledger, key_of(r)), relations=ledger.relations(key_of(r)))
        return {"documents": page, "total": len(rows), "offset": offset, "limit": limit}

    def document_info(self, ref: str, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """A document's metadata, outline, the documents it cites and those in the store that cite it: what
        `tracuu show --json`, GET /documents/{ref} and MCP give alike."""
        with self.store(viewer=viewer) as store:
            found = self.document(store, ref)
            doc_id = found["doc_id"]
            units = store.units(doc_id)
            ledger = self.catalog(store).ledger
            key = key_of(found)
            valid = ledger.validity(key)
            return {**{k: found[k] for k in META_KEYS}, "units": len(units), "chunks": count(store, "chunks", doc_id),
                    "outline": [{k: u[k] for k in OUTLINE_KEYS} for u in units],
                    "cites": cites(store, doc_id), "cited_by": cited_by(store, doc_id),
                    **stamp(ledger, key), "replaced_by": valid.replaced_by, "validity_label": valid.label,
                    "validity_conflicts": valid.conflicts, "relations": ledger.relations(key)}  # fmt: skip

    def unit(self, ref: str, path: str, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """The text of one unit (Điều, Khoản, mục) by its outline path, with its formal citation."""
        with self.store(viewer=viewer) as store:
            found = self.document(store, ref)
            row = next((u for u in store.units(found["doc_id"]) if u["path"] == path), None)
        if row is None:
            raise NotFound(f"Văn bản '{ref}' không có đơn vị '{path}'; xem dàn ý (`outline`) của văn bản.",
                           title="không tìm thấy đơn vị")  # fmt: skip
        return {
            **row,
            "text": found["text"][row["start"] : row["end"]],
            "citation": cite(found, row["section"]),
        }

    def catalog(self, store: Store) -> Catalog:
        """The citation checker's known documents, built once per state of the store (building it reads
        the 3,181-document catalog file and every corpus citation: about 0.2 s)."""
        state = hashlib.sha256(
            json.dumps([sorted(store.doc_hashes().items()), sorted(store.hidden)]).encode()
        ).hexdigest()  # what this reader may see: a catalog holds no document hidden from it
        with self._catalog_lock:
            if state not in self._catalogs:
                while len(self._catalogs) >= 8:
                    self._catalogs.pop(next(iter(self._catalogs)))
                self._catalogs[state] = Catalog(store)
            return self._catalogs[state]

    def serve_in_background(self) -> None:
        """For a long-running door (the HTTP server): vectors an index still lacks are computed in the
        background from now on, and a write embeds at most TRACUU_EMBED_NOW chunks before it answers."""
        self.fill.start()

    def health(self, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """Whether the store, the index and the model are ready, and how far the vectors are (`dense`)."""
        index = self.index
        with self.store(viewer=viewer) as store:
            counts = store.counts()
            seen = index.allowed(Filters(hidden=store.hidden)) if index is not None and store.hidden else None
        self.fill.poke()  # another process's fill may have stopped: this one takes over
        rows = int(seen.sum()) if seen is not None else index.stats()["rows"] if index else 0
        return {"status": "ok", "index_loaded": index is not None, "counts": counts,
                "model": index.model if index else None, "rows": rows,
                "writes_enabled": self.writes_enabled(), "dense": self.fill.status(index, seen)}  # fmt: skip

    # ------------------------------------------------------------ retrieval
    def embedder(self) -> Any:
        """The embedding model, loaded once per process."""
        from tracuu.index.embed import Embedder

        with self._model_lock:
            if self._embedder is None:
                s = self.settings
                self._embedder = Embedder(s.model, quantize=s.quantize, threads=s.threads)  # or ModelMissing
        return self._embedder

    @property
    def index(self) -> IndexBackend | None:
        """This request's snapshot of the index: read once, kept for the request."""
        try:
            return self.live.get()
        except IndexMismatch:
            raise  # its own reason: another model, a newer schema, another tokenizer (and the way out)
        except (OSError, ValueError) as exc:  # a broken index: say so, `tracuu doctor` repairs
            raise IndexUnavailable(
                f"Không đọc được chỉ mục ({type(exc).__name__}); chạy `tracuu doctor --repair`.",
                code="index-broken", title="chỉ mục không đọc được",
            ) from exc  # fmt: skip

    def searcher(self, store: Store, mode: str = "hybrid") -> Searcher:
        """A searcher over this request's index snapshot, checked against the model it was built with."""
        index = self.index  # one read of the reference: this request's snapshot
        if index is None:
            raise IndexUnavailable(
                "Kho chưa có chỉ mục tìm kiếm; hãy tải văn bản lên hoặc chạy `tracuu index` "
                "(sau `tracuu ingest THƯ_MỤC`)."
            )
        embedder = None if mode == "lexical" else self.embedder()
        try:
            require_model(index.model, embedder.name if embedder is not None else None)
        except IndexMismatch as exc:
            raise IndexMismatch(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from exc
        return Searcher(store, index, embedder)

    # ------------------------------------------------------------ questions (the same JSON in every door)
    def search(self, query: str, k: int = 10, doc_type: str | None = None, issuer: str | None = None,
               year: int | None = None, number: str | None = None, doc: str | None = None,
               mode: str = "hybrid", in_force: str | None = None,
               viewer: Access | None = CONSOLE) -> dict[str, Any]:  # fmt: skip
        """Cited passages for a query (accents restored when typed without), filtered by type, issuer, year,
        number, one document (id, number or path), documents in force on a date (`in_force`: ISO, dd/mm/yyyy,
        "today" or ""); each hit carries its document's validity today."""
        query = _required(query, "q")
        when = (
            None
            if in_force is None or in_force.strip().lower() in ("", "today")
            else _date_argument(in_force)
        )
        with self.store(viewer=viewer) as store:
            stored_type = check_type(store, doc_type)
            doc_id = self.document(store, doc)["doc_id"] if doc else None
            searcher = self.searcher(store, mode)
            ledger = self.catalog(store).ledger
            keys = {
                r["doc_id"]: key_of(r) for r in store.headers()
            }  # numbers only: no counts of units and chunks
            in_force_docs = None if in_force is None else tuple(
                doc_id for doc_id, key in keys.items()
                if stamp(ledger, key, when)["validity"] in ("in_force", "partly_expired")
            )  # fmt: skip
            filters = Filters(
                stored_type,
                issuer.strip() if issuer and issuer.strip() else None,
                year,
                number,
                doc_id,
                in_force_docs,
            )
            used = searcher.mode_for(filters, mode)
            if used != mode:  # rows wait for vectors: make sure something computes them
                self.fill.poke()
            if used is None:
                seen = searcher.index.allowed(Filters(hidden=store.hidden)) if store.hidden else None
                raise VectorsPending(self.fill.pending_detail(searcher.index, seen))
            hits = [] if in_force_docs == () else searcher.search(query, k=k, filters=filters, mode=used)
            restored = searcher.prepare(query).restored
        results = [h.to_dict() for h in hits]
        for r in results:  # as of the date filtered on, else today
            r.update(stamp(ledger, keys.get(r["doc_id"]), when))
        return {"query": query, "restored_query": restored, "results": results, "mode": used}

    def ask(self, question: str, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """A cited, extractive answer (`knowledge.answer.ask`): who leads, which document and unit, how much."""
        question = _required(question, "q")
        with self.store(viewer=viewer) as store:
            result = answer(self.searcher(store), question)
            ledger = self.catalog(store).ledger
            keys = {h["doc_id"]: key_of(h) for h in store.headers()}
        return with_validity(result, ledger, keys)

    def tasks(self, agency: str | None = None, doc: str | None = None, due_before: str | None = None,
              overdue: bool = False, at: str | None = None, viewer: Access | None = CONSOLE
              ) -> dict[str, Any]:  # fmt: skip
        """Assignments, by agency (any written form) and/or document, each with its latest progress; due before
        a day and/or late on `at` (today by default), soonest due first."""
        when = date.fromisoformat(_date_argument(at) or date.today().isoformat())
        before = (_date_argument(due_before) or date.today().isoformat()) if due_before is not None else None
        with self.store(viewer=viewer) as store:
            doc_id = self.document(store, doc)["doc_id"] if doc else None
            found = store.tasks(agency=agency, doc_id=doc_id)
            rows = [task_json(t) for t in found]
            records = store.progress([t["task_id"] for t in rows])
        context = _follow_up_context(rows, found, records)
        last = {e["task_id"]: e for e in records}  # the latest record of each task
        for t in rows:
            t["progress"] = progress.entry_json(last[t["task_id"]]) if t["task_id"] in last else None
        if before is not None or overdue:
            rows = followup.select(
                rows, when, date.fromisoformat(before) if before else None, overdue, context
            )
        return {"tasks": rows}

    def dashboard(self, at: str | None = None, agency: str | None = None,
                  viewer: Access | None = CONSOLE) -> dict[str, Any]:  # fmt: skip
        """Per lead agency on `at` (today by default): tasks, late, due within 30 days, done — the head of
        office's view (`knowledge.followup.board`); `agency`: that agency's row only."""
        when = date.fromisoformat(_date_argument(at) or date.today().isoformat())
        with self.store(viewer=viewer) as store:
            found = [
                t for t in store.tasks(agency=agency) if t["type"] not in LEGAL_TYPES
            ]  # plans' work, not laws' duties
            rows = [task_json(t) for t in found]
            records = store.progress([t["task_id"] for t in rows])
        context = _follow_up_context(rows, found, records)
        return {"at": when.isoformat(), "soon_days": followup.SOON_DAYS,
                "agencies": followup.board(rows, context, when)}  # fmt: skip

    def _task(self, store: Store, tid: str) -> dict[str, Any]:
        """The stored task row with this id (`knowledge.progress.task_id`), or NotFound."""
        tid = _required(tid, "task_id").strip()
        doc_id = tid.split("~", 1)[0]
        for t in store.tasks(doc_id=doc_id) if "~" in tid else []:
            if progress.task_id(t) == tid:
                return t
        raise NotFound(f"Không có nhiệm vụ '{tid}' trong kho (mã nhiệm vụ lấy từ `tracuu tasks --json`, trường "
                       "task_id).", title="không tìm thấy nhiệm vụ")  # fmt: skip

    def record_progress(self, tid: str, state: str, note: str = "", period: str | None = None,
                        who: Who | None = None, today: date | None = None,
                        evidence: str | Path | None = None, access: Access | None = None
                        ) -> dict[str, Any]:  # fmt: skip
        """Append a progress record to a task (the history is kept): its state, a note, the period it is for
        (recurring work; the running one by default). `access`: the caller's token over HTTP — an admin, or
        an agency token of the task's lead or a co-lead; the console's user writes as the data folder's owner."""
        state = progress.state_of(state)
        if note is not None and len(note) > progress.MAX_NOTE:
            raise InvalidArgument(f"Ghi chú quá dài ({len(note)} ký tự; tối đa {progress.MAX_NOTE}).")
        with self.store(read=False) as store:
            if access is not None:  # a caller over HTTP: a task of a document it may not see is not there
                store.hidden = hidden_from(store.internal_documents(), access)
            try:
                t = self._task(store, tid)
            finally:
                store.hidden = frozenset()
            tj = task_json(t)
            if access is not None and not access.may_report_for(
                tj.get("lead"), tj.get("leads"), tj.get("lead_scope")
            ):
                raise Forbidden(f"Mã truy cập '{access.name}' ({', '.join(access.scopes)}) không ghi được tiến độ "
                                f"nhiệm vụ của {tj.get('lead') or 'cơ quan khác'}: chỉ cơ quan chủ trì hoặc quản trị.")  # fmt: skip
            day = today or date.today()
            standing = {
                e["period"]: e["state"] for e in progress.latest(store.progress([tj["task_id"]])).values()
            }
            due = last_due(
                tj["deadline_parsed"], followup.first_day(tj["deadline_parsed"], t.get("date")), day
            )
            pending = due[0] if due and standing.get(due[0]) != "done" else None  # a late report is for it
            period = progress.check_period(tj["deadline_parsed"], period, t.get("date"), day, pending)
            who = who or audit.local()
            kept = self._evidence(Path(evidence)) if evidence else None
            entry = progress.new_entry(tj, state, note or "", period, who.actor, kept)
            store.add_progress(entry)
            store.add_audit(audit.line(who, "progress", tj["task_id"], {"state": state, "period": period}))
            history = [progress.entry_json(e) for e in store.progress([tj["task_id"]])]
        return {"task": {**tj, "progress": progress.entry_json(entry)}, "recorded": progress.entry_json(entry),
                "history": history}  # fmt: skip

    def _evidence(self, source: Path) -> dict[str, Any]:
        """An evidence file kept under the data folder's evidence/ by its SHA-256 (the same file once)."""
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise InvalidArgument(f"{source}: không đọc được tệp minh chứng ({exc.strerror}).") from None
        if not data:
            raise InvalidArgument(f"{source}: tệp minh chứng rỗng.")
        if len(data) > self.settings.max_bytes:
            raise InvalidArgument(f"{source}: tệp minh chứng {len(data) / 1e6:.1f} MB, quá giới hạn "
                                  f"{self.settings.max_bytes / 1e6:.0f} MB.")  # fmt: skip
        digest = hashlib.sha256(data).hexdigest()
        folder = Path(self.settings.home) / "evidence"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (digest + "".join(source.suffixes[-1:]).lower()[:10])
        if not target.exists():
            part = target.with_name(f".{target.name}.part")
            part.write_bytes(data)
            os.replace(part, target)
        return {"name": source.name, "sha256": digest, "bytes": len(data), "file": f"evidence/{target.name}"}

    def task_progress(self, tid: str, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """A task with its whole progress history, oldest first."""
        with self.store(viewer=viewer) as store:
            t = task_json(self._task(store, tid))
            history = [progress.entry_json(e) for e in store.progress([t["task_id"]])]
        t["progress"] = history[-1] if history else None
        return {"task": t, "history": history}

    def calendar(self, agency: str, viewer: Access | None = CONSOLE) -> str:
        """The deadlines of the tasks an agency leads, cooperates on or leads as a member of a group, as an
        iCalendar file (`knowledge.ical`)."""
        agency = _required(agency, "agency").strip()
        with self.store(viewer=viewer) as store:
            rows = agency_tasks(store, agency)
        if not rows:
            raise NotFound(f"Không có nhiệm vụ nào giao cho cơ quan '{agency}' trong kho (kiểm tra tên cơ quan: "
                           "tên đầy đủ hoặc viết tắt, có hoặc không dấu).", title="không biết cơ quan")  # fmt: skip
        text = ical.calendar(canonical(agency), [(task_json(t), t.get("date"), role) for t, role in rows])
        if "BEGIN:VEVENT" not in text:  # RFC 5545 wants at least one component: say why there is none
            raise NotFound(f"Cơ quan '{agency}' có {len(rows)} nhiệm vụ nhưng không nhiệm vụ nào có thời hạn đặt được "
                           "lên lịch (ngày, kỳ hoặc định kỳ).", title="không có hạn để lên lịch")  # fmt: skip
        return text

    def backup(self, target: str | Path) -> dict[str, Any]:
        """The whole knowledge base of the data folder in one file (`ops.backup`)."""
        from tracuu.ops.backup import backup

        self._embedded_only("sao lưu")
        return backup(Path(self.settings.home), Path(target), self.settings.lock_timeout)

    def restore(self, source: str | Path, force: bool = False) -> dict[str, Any]:
        """Replace the data folder's knowledge base with a backup's (the old one kept beside it)."""
        from tracuu.ops.backup import restore

        self._embedded_only("khôi phục")
        out = restore(Path(source), Path(self.settings.home), force, self.settings.lock_timeout)
        self._log(None, "restore", str(source), {"created": out["created"], "kept": out["kept"]})
        return out

    def audit_log(self, limit: int = 100, action: str | None = None) -> dict[str, Any]:
        """The latest lines of the audit log, newest first (admins)."""
        if not 1 <= limit <= 10_000:
            raise InvalidArgument("'limit' phải từ 1 đến 10.000.")
        with self.store() as store:
            return {"entries": [audit.line_json(r) for r in store.audit(limit, action)]}

    def _log(
        self, who: Who | None, action: str, target: str = "", detail: dict[str, Any] | None = None
    ) -> None:
        """A write into the audit log (the CLI's user when no one else is named)."""
        with self.store(read=False) as store:
            store.add_audit(audit.line(who or audit.local(), action, target, detail))

    def _embedded_only(self, what: str) -> None:
        if self.settings.database_url:
            raise InvalidArgument(f"Kho ở PostgreSQL (TRACUU_DATABASE_URL): {what} bằng công cụ của PostgreSQL "
                                  "(pg_dump, pg_restore) cùng thư mục dữ liệu.")  # fmt: skip

    def references(self, number: str | None = None, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """The documents cited (one entry per document, whatever its written form) and where, each with
        its validity today and its relations."""
        with self.store(viewer=viewer) as store:
            found = references(store, number)
            ledger = self.catalog(store).ledger
        for r in found["references"]:
            key = ref_key(ledger, r)
            r.update(stamp(ledger, key), relations=ledger.relations(key) if key else [])
        return found

    def validity(self, ref: str, at: str | None = None, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """Whether a document (corpus, catalog, or only named in a clause) is in force on `at` (today by
        default), with the clauses that prove it and its relations both ways."""
        ref = _required(ref, "number")
        when = _date_argument(at)
        with self.store(viewer=viewer) as store:
            catalog = self.catalog(store)
            ledger = catalog.ledger
            found = store.find(ref) or _named(store, ref)
            key = key_of(found) if found else ledger.lookup(ref)
            known = catalog.by_key.get(key.split("@")[0]) if not key.startswith(("id:", "title:")) else None
            if found is None and known is None and not ledger.knows(key):
                raise NotFound(f"Không biết văn bản '{ref}': không có trong kho, trong danh mục, cũng không điều "
                               "khoản nào nhắc đến.", title="không biết văn bản")  # fmt: skip
            v = ledger.validity(key, when)
            meta = found or (known.as_doc() if known else {})
            if (
                known is not None and found is None and known.source == "cited"
            ):  # a citation's trích yếu runs on
                meta = {**meta, "title": None}
            number = (found["number"] or found["title"] or found["doc_id"]) if found else v.number
            return {"query": ref, **v.to_dict(), "number": number, "in_corpus": found is not None,
                    "in_catalog": key in catalog.listed, "doc_id": found["doc_id"] if found else None,
                    "type": meta.get("type"), "title": meta.get("title"), "date": meta.get("date"),
                    "issuer": meta.get("issuer_full") or meta.get("issuer"), "relations": ledger.relations(key)}  # fmt: skip

    def agencies(self, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        with self.store(viewer=viewer) as store:
            return {"agencies": agencies(store)}

    def report(self, agency: str, doc: str | None = None, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """Every task one agency leads or cooperates on, for its yearly report."""
        with self.store(viewer=viewer) as store:
            doc_id = self.document(store, doc)["doc_id"] if doc else None
            return agency_report(store, agency, doc_id)

    def check(self, text: str, viewer: Access | None = CONSOLE) -> dict[str, Any]:
        """Every citation of a draft checked against the store and the catalog (TooManyCitations past 1,000)."""
        with self.store(viewer=viewer) as store:
            return check_text(store, text, self.catalog(store))

    def doctor(self, repair: bool = False, on_wait: Callable[[str], None] | None = None) -> dict[str, Any]:
        """The store checked against the index (`ops.doctor`), repaired with `repair` under the write lock,
        and whether scanned PDFs can be read (OCR)."""
        from tracuu.ingest.readers import ocr_status
        from tracuu.ops import doctor as doc

        s = self.settings
        key = embedder_key(s.model, s.quantize)
        if repair:
            embedder = self.embedder()
            with writer_lock(s.home, s.lock_timeout, on_wait=on_wait, database_url=s.database_url):
                result = doc.repair(s.home, embedder, s.database_url)
            before, after = result["before"], result["after"]
            self._log(
                None, "repair", "", {"found": [f.code for f in before], "left": [f.code for f in after]}
            )
        else:
            # an index of another model (another adapter) is found here, before a search refuses it
            before = after = doc.diagnose(s.home, key, s.database_url)
        ocr_on, ocr_said = ocr_status()
        if s.ocr is not None:
            ocr_on = s.ocr and ocr_on
            ocr_said = ocr_said if s.ocr else "tắt (TRACUU_OCR=0)"
        return {"home": str(s.home), "ok": not after, "findings": [f._asdict() for f in after],
                "repaired": [f._asdict() for f in before if f not in after] if repair else [],
                "ocr": {"enabled": ocr_on, "detail": ocr_said},
                "model": {"key": key, "adapter": s.adapter}}  # fmt: skip

    def work(self, **options: Any) -> dict[str, Any]:
        """`tracuu worker`: vectors for the database index's waiting rows (`core.workers`)."""
        from .workers import work

        return work(self, **options)

    def evaluate(self, dataset: str, **options: Any) -> dict[str, Any]:
        """`tracuu eval`: retrieval, answers or assignments measured on a dataset (`evaluation.run`)."""
        from tracuu.evaluation.run import run

        return run(self.settings, dataset, **options)

    # ------------------------------------------------------------ writes
    def upload(
        self,
        part: Path,
        path: Path,
        digest: str,
        name: str,
        who: Who | None = None,
        shown: tuple[str, list[str]] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """A received file (`part`, copied whole, to live at `path` in the uploads folder) parsed in the writer
        process, stored and indexed; its summary and whether it is new (False: the same file, already
        stored and indexed). LimitReached past TRACUU_MAX_UPLOADS; an IngestError naming the file as sent."""
        with self.store() as store:
            index = self.index
            if shown is None and store.is_current(str(path), digest) and path.exists():  # the same file again
                doc = store.find(str(path))
                if index is not None and doc["doc_id"] in index.meta.docs:  # …and indexed: nothing to do
                    return self._summary(store, doc["doc_id"]), False

        def put(store: Store) -> str:
            stored, cap = _uploaded(store, self.uploads), self.settings.max_uploads  # under the lock: exact
            if stored >= cap and store.find(str(path)) is None:
                raise LimitReached(f"{name}: kho đã có {stored} văn bản tải lên, giới hạn là {cap} (TRACUU_MAX_UPLOADS); "
                                   "hãy xóa văn bản không còn cần (DELETE /documents/{ref}) rồi tải lên lại.")  # fmt: skip
            os.replace(part, path)  # under the write lock: a delete of the same file cannot remove it
            doc_id = store.doc_id_for(str(path), slugify(Path(name).stem))
            parsed = self.in_writer(parse_file, str(path), doc_id, self.settings.max_bytes, self.settings.ocr)
            if isinstance(parsed, IngestError):
                path.unlink(missing_ok=True)  # a file that did not become a document is not kept
                raise type(parsed)(name, parsed.reason)
            store.put(parsed, shown)
            return parsed.doc_id

        doc_id, stats = self.write(put)
        self._log(who, "upload", doc_id, {"file": name, "sha256": digest})
        if self.list_webhooks()["webhooks"]:  # told in the background: the upload's answer does not wait
            threading.Thread(
                target=self.notify_assigned, args=([doc_id],), name="tracuu-notify", daemon=True
            ).start()
        with self.store() as store:
            return {**self._summary(store, doc_id), "index": stats}, True

    def delete(self, ref: str, who: Who | None = None) -> None:
        """A document out of the store and the index; an uploaded copy goes with it."""

        def remove(store: Store) -> str:
            found = self.document(store, ref)
            store.delete(found["doc_id"])
            if Path(found["source_path"]).parent == self.uploads:  # under the lock: a re-upload may wait
                Path(found["source_path"]).unlink(missing_ok=True)
            return found["doc_id"]

        doc_id, _ = self.write(remove)
        self._log(who, "delete", doc_id)

    @staticmethod
    def _summary(store: Store, doc_id: str) -> dict[str, Any]:
        found = store.find(doc_id) or {}
        return summary(
            {**found, "units": count(store, "units", doc_id), "chunks": count(store, "chunks", doc_id)}
        )

    def ingest(self, paths: Sequence[str | Path], workers: int | None = None, index: bool = True,
               progress: Progress = no_progress, on_wait: Callable[[str], None] | None = None,
               who: Who | None = None, visibility: str | None = None, agencies: Sequence[str] = ()
               ) -> dict[str, Any]:  # fmt: skip
        """Files and folders into the store, then the index brought in line (`core.ingesting`). `visibility`
        "internal" shows them only to `agencies` (and admins); "public" to everyone; None leaves it as stored."""
        shown = tokens.audience(visibility, agencies)
        out = ingest_paths(self, paths, workers, index, progress, on_wait, shown)
        if self.list_webhooks()["webhooks"]:  # the agencies the new documents assign tasks to are told
            files, _ = collect_files(paths)
            with self.store() as store:
                ids = [d["doc_id"] for f in files if (d := store.find(str(Path(f).resolve()))) is not None]
            out["notified"] = self.notify_assigned(ids)
        self._log(who, "ingest", ", ".join(str(p) for p in paths)[:500],
                  {"added": out.get("added", {}), "errors": len(out.get("errors", []))})  # fmt: skip
        return out

    def reindex(self, rebuild: bool = False, progress: Progress = no_progress,
                on_wait: Callable[[str], None] | None = None, lexical_first: bool = False) -> dict[str, Any]:  # fmt: skip
        """The index brought in line with the store, or rebuilt (`core.ingesting`); `lexical_first`: only
        cached vectors now, the rest computed by `tracuu serve` in the background."""
        out = reindex(self, rebuild, progress, on_wait, embed_limit=0 if lexical_first else None)
        self._log(None, "index", "", {"rebuild": rebuild, "lexical_first": lexical_first})
        return out

    def write(self, change: Callable[[Store], Any], embed_limit: int | None | str = "default",
              wait: float = WRITE_WAIT_S) -> tuple[Any, dict[str, int]]:  # fmt: skip
        """One store change, then the index synced and saved as a new generation (atomic), which readers
        pick up. Holds this process's lock and the data folder's file lock (the CLI or another server
        worker may write). The sync runs in the writer process (`ops.jobs`), away from the GIL; it embeds
        at most `embed_limit` chunks (default: all, or TRACUU_EMBED_NOW while serving — the background fill
        does the rest). Busy when another process holds the data folder past `wait` seconds."""
        s = self.settings
        limit = self.fill.embed_limit if embed_limit == "default" else embed_limit
        with self.write_lock, writer_lock(s.home, min(s.lock_timeout, wait), database_url=s.database_url):
            with self.store(read=False) as store:
                result = change(store)
            stats = self.in_writer(
                sync_saved, str(s.home), s.model, s.quantize, s.threads, limit, s.database_url
            )
            try:  # this request's successors see the new generation at once
                self.live.set(self.index_place().load())
            except Exception:  # the write is done; the next request loads the generation (or says why not)
                pass
        if stats.get("pending"):
            self.fill.poke()
        return result, stats

    def in_writer(self, job: Callable[..., Any], *args: Any) -> Any:
        """Run a job in the writer process (started on the first write, kept for the next ones)."""
        if self.fill.closing.is_set() and threading.current_thread().name == FILL_THREAD:
            raise WriterFailed("Máy chủ đang dừng: không tính thêm vector.")  # never a writer after close()
        with self._writer_lock:
            if self._writer is None:
                self._writer = worker_pool(1)
            pool = self._writer
        try:
            return pool.submit(job, *args).result()
        except BrokenProcessPool as exc:  # the writer died (killed, out of memory): the next write starts one
            with self._writer_lock:
                self._writer = None
            raise WriterFailed(
                "Tiến trình ghi dữ liệu bị dừng giữa chừng; hãy gửi lại (kho vẫn nguyên vẹn)."
            ) from exc

    def __enter__(self) -> Tracuu:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """The background fill, the writer process if a write started one, and this thread's reading
        connection."""
        self.fill.stop()
        store = getattr(self._conns, "store", None)
        if store is not None:
            store.close()
            self._conns.store = None
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None
        self._place.close()


def count(store: Store, table: str, doc_id: str) -> int:
    """A document's units or chunks."""
    return store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", (doc_id,)).fetchone()[0]


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """The short form of a document every list gives (`SUMMARY_KEYS`)."""
    return {k: row.get(k) for k in SUMMARY_KEYS}


def check_type(store: Store, doc_type: str | None) -> str | None:
    """The stored spelling of a document type given in any case or accents (None: no type asked); a type
    the store does not hold is refused, naming those it holds."""
    if doc_type is None or not doc_type.strip():
        return None
    seen, args = store.unhidden()  # the types of documents this reader may see
    known = [r[0] for r in store.conn.execute(
        f"SELECT DISTINCT type FROM documents WHERE type IS NOT NULL AND {seen}", args)]  # fmt: skip
    wanted = fold(doc_type.strip()).lower()
    match = next((t for t in known if fold(t).lower() == wanted), None)
    if match is None:
        raise InvalidArgument(f"Loại văn bản '{doc_type}' không có trong kho; các loại hiện có: "
                              f"{', '.join(sorted(known)) or '(chưa có)'}.")  # fmt: skip
    return match


def _fits(r: dict[str, Any], doc_type: str | None, issuer: str | None, year: int | None) -> bool:
    return ((not doc_type or fold(r["type"] or "").lower() == fold(doc_type).lower())
            and (not issuer or fold(issuer).lower() in fold(r["issuer"] or "").lower())
            and (not year or (r["date"] or "")[:4] == str(year)))  # fmt: skip


def _named(store: Store, ref: str) -> dict[str, Any] | None:
    """The stored document a name refers to ("Luật Cư trú"), when exactly that one."""
    from tracuu.ingest.references import find_references
    from tracuu.knowledge.graph import resolve

    named = [r for r in find_references(ref) if not r.number and r.title and r.type]
    found = resolve(store, {"type": named[0].type, "title": named[0].title}) if named else None
    return found


def _follow_up_context(rows: list[dict[str, Any]], found: list[dict[str, Any]],
                       records: list[dict[str, Any]]) -> dict[str, tuple[date | None, dict[str, str]]]:  # fmt: skip
    """Per task id (task JSON `rows`, their stored `found` rows): when its work began and the standing state of
    each period (the latest record of each), as `followup.select` and `followup.board` take them."""
    by_task: dict[str, dict[str, str]] = {}
    for e in progress.latest(records).values():
        by_task.setdefault(e["task_id"], {})[e["period"]] = e["state"]
    return {t["task_id"]: (followup.first_day(t["deadline_parsed"], raw.get("date")), by_task.get(t["task_id"], {}))
            for t, raw in zip(rows, found, strict=True)}  # fmt: skip


def _date_argument(value: str | None) -> str | None:
    """A date argument as ISO, or a clear refusal."""
    try:
        return parse_at(value)
    except ValueError:
        raise InvalidArgument(
            f"Ngày '{value}' không hợp lệ; hãy ghi dạng 2021-07-01 hoặc 01/07/2021."
        ) from None


def _required(value: str, name: str) -> str:
    """A text parameter that holds a letter or a digit."""
    if not value or not value.strip() or not any(c.isalnum() for c in value):
        raise InvalidArgument(f"'{name}' trống: cần chữ hoặc số.")
    return value


def _uploaded(store: Store, folder: Path) -> int:
    """How many documents came from uploads (their source is a file in `folder`)."""
    prefix = f"{folder}{os.sep}"
    sql = "SELECT COUNT(*) FROM documents WHERE substr(source_path, 1, ?) = ?"
    return store.conn.execute(sql, (len(prefix), prefix)).fetchone()[0]
