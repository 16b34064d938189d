"""The index a long-running reader serves (the HTTP or MCP server): the current generation of the index
folder, followed as writers in any process save new ones."""

from __future__ import annotations

import threading
from typing import Any

from .backend import IndexBackend, require_model
from .places import IndexPlace


class LiveIndex:
    """The current generation of an index (in a data folder or in PostgreSQL) for a long-running reader (the
    HTTP or MCP server): loaded again when any process — on this machine or, with PostgreSQL, another —
    commits a newer one. Each request takes one snapshot with `get()` and keeps it; while one thread loads a
    new generation the others go on with the previous one."""

    def __init__(self, place: IndexPlace):
        self.place = place
        self._lock = threading.Lock()
        self._index: Any = None  # an IndexBackend with its `generation`

    def get(self, model: str | None = None) -> IndexBackend | None:
        """The current index (None when none was built); raises IndexMismatch for another model."""
        generation = self.place.current()
        if generation is None:
            return None
        index = self._index
        if (index is None or index.generation != generation) and self._lock.acquire(blocking=index is None):
            try:  # (not acquired: another request is loading the new generation; keep the previous one)
                if self._index is None or self._index.generation != generation:
                    self._index = self.place.load()
            finally:
                self._lock.release()
            index = self._index
        if index is not None:
            require_model(index.model, model)
        return index

    def set(self, index: IndexBackend) -> None:
        """The index this process just saved: no need to read it back."""
        self._index = index
