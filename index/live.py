"""The index a long-running reader serves (the HTTP or MCP server): the current generation of the index
folder, followed as writers in any process save new ones."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .backend import IndexBackend, LocalIndex, require_model


def current_generation(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


class LiveIndex:
    """The current generation of an index folder for a long-running reader (the HTTP or MCP server): loaded
    again when any process swaps in a newer one. Each request takes one snapshot with `get()` and keeps it;
    while one thread loads a new generation the others go on with the previous one."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._index: Any = None  # an IndexBackend with its `generation`

    def get(self, model: str | None = None) -> IndexBackend | None:
        """The current index (None when none was built); raises IndexMismatch for another model."""
        generation = current_generation(self.root)
        if generation is None:
            return None
        index = self._index
        if (index is None or index.generation != generation) and self._lock.acquire(blocking=index is None):
            try:  # (not acquired: another request is loading the new generation; keep the previous one)
                if self._index is None or self._index.generation != generation:
                    self._index = LocalIndex.load(self.root)
            finally:
                self._lock.release()
            index = self._index
        if index is not None:
            require_model(index.model, model)
        return index

    def set(self, index: IndexBackend) -> None:
        """The index this process just saved: no need to read it back."""
        self._index = index
