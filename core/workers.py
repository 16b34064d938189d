"""`tracuu worker`: embedding workers for the PostgreSQL backend. Any number of them, on any machine with
the model, take batches of rows still without a vector from the database (`index.postgres.queue`), embed
them and commit; servers switch a search to hybrid once every row it may return has its vector. This is
how a large corpus gets its vectors in hours divided by the number of workers instead of on one box."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from tracuu.core.errors import Busy, InvalidArgument

BATCH = 64  # rows a worker claims at once: a few seconds of CPU, so a dead worker's claim is short
IDLE_WAIT_S = 2.0  # nothing to do: look again after this long


def work(app: Any, until_done: bool = False, stop: threading.Event | None = None, batch: int = BATCH,
         on_batch: Callable[[int, int], None] | None = None,
         on_error: Callable[[str], None] | None = None) -> dict[str, Any]:  # fmt: skip
    """Embed waiting rows until stopped (`until_done`: until no row waits, counting those other workers hold:
    a dead worker's rows come back and are taken). `on_batch(done, waiting)` after each batch. How many rows
    this worker embedded, in how long."""
    from tracuu.index.postgres.connection import DatabaseUnavailable
    from tracuu.index.postgres.queue import embed_batch

    url = app.settings.database_url
    if not url:
        raise InvalidArgument(
            "`tracuu worker` tính vector cho chỉ mục trong PostgreSQL: hãy đặt TRACUU_DATABASE_URL."
        )
    stop = stop or threading.Event()
    embedder = app.embedder()
    done, started = 0, time.perf_counter()
    while not stop.is_set():
        try:
            embedded, left = embed_batch(url, embedder, batch)
        except (DatabaseUnavailable, Busy) as exc:  # a failover, a restart: say so, wait, go on
            if on_error is not None:
                on_error(exc.detail)
            stop.wait(IDLE_WAIT_S)
            continue
        done += embedded
        if embedded:
            if on_batch:
                on_batch(done, left)
            continue
        if until_done and not left:
            break
        stop.wait(IDLE_WAIT_S if not until_done else 0.2)  # others hold the rest: they finish or free it
    return {"embedded": done, "seconds": round(time.perf_counter() - started, 1)}
