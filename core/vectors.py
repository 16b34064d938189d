"""Serving without the wait. Embedding a corpus takes minutes (10,942 chunks: about 7 on 2 cores); lexical
search and every knowledge answer need none of it. So an index may take rows before their vectors (`tracuu
index --lexical-first`, or an upload past TRACUU_EMBED_NOW chunks) and a long-running door computes them in
the background, a step at a time: the writer process embeds a step's chunks into the vector cache without
the write lock, then a short locked sync puts them in the index and saves a generation. Searches run lexical
until every row they may return has its vector, hybrid from then on; `/healthz` and the page show the share.

Several server processes on one data folder: one fills (a file lock), the others follow its generations."""

from __future__ import annotations

import logging
import math
import threading
from typing import TYPE_CHECKING, Any

from tracuu.ops.jobs import embed_queue, embed_saved
from tracuu.ops.lock import fill_held, fill_lock

from .errors import Busy, TracuuError, WriterFailed

if TYPE_CHECKING:
    from tracuu.index.backend import IndexBackend

    from .app import Tracuu

FILL_STEP = 256  # chunks per step: about 10 s of the writer on 2 cores, so a write waits at most that long
STEP_LOCK_WAIT_S = 2.0  # a step's write gives way quickly to a long writer (and to Ctrl-C), then retries
RETRY_MAX_S = 30.0
FILL_THREAD = "tracuu-vectors"
log = logging.getLogger("tracuu.vectors")


class VectorFill:
    """The background fill of one application object (`Tracuu.fill`)."""

    def __init__(self, app: Tracuu):
        self.app = app
        self.enabled = False  # only a long-running door turns it on (`start`): a CLI command embeds at once
        self.closing = threading.Event()
        self.error: str | None = None  # why the last fill stopped early, shown by `status`
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()

    def start(self) -> None:
        """From now on, rows without vectors are filled in the background, and writes embed at most
        TRACUU_EMBED_NOW chunks before they answer."""
        self.enabled = True
        self.poke()

    def poke(self) -> None:
        """Start filling when the index has rows waiting and no thread of this process fills already."""
        if not self.enabled or self.closing.is_set() or self.running:  # (the usual case: no lock taken)
            return
        with self._guard:
            if self.running:
                return
            try:
                index = self.app.index
            except TracuuError:
                return  # no readable index: nothing to fill (the doors say why)
            if index is None or not index.pending:
                return
            self._thread = threading.Thread(target=self._run, name=FILL_THREAD, daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def embed_limit(self) -> int | None:
        """How many chunks a write embeds before it answers (None: all of them)."""
        return self.app.settings.embed_now if self.enabled else None

    def status(self, index: IndexBackend | None, allowed: Any = None) -> dict[str, Any]:
        """How far the vectors are: ready, embedded of total rows, percent (rounded down: never 100 while a
        row waits), running (here or in another process on the data folder), why the last fill stopped.
        `allowed`: the rows a reader may see (internal documents' rows are not counted for others)."""
        if index is not None and allowed is not None:
            total, pending = int(allowed.sum()), int((allowed & ~index.embedded).sum())
        else:
            total = int(index.stats()["rows"]) if index is not None else 0
            pending = index.pending if index is not None else 0
        return {"ready": pending == 0, "embedded": total - pending, "total": total,
                "percent": math.floor(1000 * (total - pending) / total) / 10 if total else 100.0,
                "running": bool(pending) and (self.running or fill_held(self.app.settings.home)),
                "error": self.error if pending else None}  # fmt: skip

    def pending_detail(self, index: IndexBackend, allowed: Any = None) -> str:
        """What a dense-only search is told while rows wait: how far, and what computes the rest."""
        done = self.status(index, allowed)
        if self.enabled:
            return (f"Đang tính vector: {done['percent']:.0f}% ({done['embedded']}/{done['total']} đoạn); tìm theo "
                    "vector khi xong, hoặc dùng chế độ hybrid hay lexical.")  # fmt: skip
        return (f"{done['total'] - done['embedded']} trong {done['total']} đoạn chưa có vector; chạy `tracuu index` "
                "để tính (hoặc `tracuu serve` tính dần trong nền), hoặc dùng chế độ hybrid hay lexical.")  # fmt: skip

    def stop(self, timeout: float = 60.0) -> None:
        """No new step starts; the step under way ends (its vectors are cached, not lost)."""
        self.closing.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        s = self.app.settings
        try:
            with fill_lock(s.home) as mine:
                if mine:
                    self.error = None
                    self._fill(s)
        except TracuuError as exc:
            self.error = exc.detail
            log.warning("background vector fill stopped: %s", exc.detail)
        except Exception as exc:  # never a traceback to a user; the log keeps it
            log.exception("background vector fill stopped")
            self.error = f"{type(exc).__name__}: {exc}"

    def _fill(self, s: Any) -> None:
        """Steps until no row waits. A writer holding the lock long (a `tracuu ingest`), or a writer process
        that died, only delays the fill: it waits, a little longer each time, and goes on."""
        delay = 1.0
        while not self.closing.is_set():
            try:
                if not self._step(s):
                    return
                delay = 1.0
            except (Busy, WriterFailed) as exc:
                log.warning("background vector fill waits %.0f s: %s", delay, exc.detail)
                if self.closing.wait(delay):
                    return
                delay = min(delay * 2, RETRY_MAX_S)

    def _step(self, s: Any) -> bool:
        """One step; whether to go on."""
        index = self.app.index
        if index is None or not index.pending:
            return False
        before = index.pending
        if s.database_url:  # a batch of the database's embedding queue, committed with its vectors
            embedded = self.app.in_writer(
                embed_queue, s.database_url, s.model, s.quantize, s.threads, FILL_STEP
            )
            if not embedded:
                return False  # every waiting row is held by a `tracuu worker`: they fill it
            stats = {"pending": self.app.index.pending}
        else:
            embedded = self.app.in_writer(embed_saved, str(s.home), s.model, s.quantize, s.threads, FILL_STEP)
            if self.closing.is_set():
                return False
            _, stats = self.app.write(
                lambda store: None, embed_limit=0, wait=STEP_LOCK_WAIT_S
            )  # cached vectors in
        if not embedded and stats["pending"] >= before:  # nothing computed, nothing gained: stop, say why
            self.error = f"không tính được vector cho {stats['pending']} đoạn còn lại"
            log.warning("background vector fill stopped: %s rows without vectors", stats["pending"])
            return False
        log.info("vectors: %s rows still waiting", stats["pending"])
        return True
