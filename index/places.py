"""Where the search index lives, and the four things done with that place: read its current generation, load
it, start an empty one, save a changed one. The data folder (`LocalPlace`: faiss + BM25 files, generations
swapped atomically) for the embedded default; the database itself (`PgPlace`) when the store is PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .backend import LocalIndex, WritableIndex, remove_leftovers


class IndexPlace(Protocol):
    def current(self) -> str | None: ...  # the committed generation; None before the first index
    def load(self, model: str | None = None) -> WritableIndex | None: ...
    def load_for_write(self, model: str | None = None) -> WritableIndex | None: ...  # under the write lock
    def new(self, model: str, dim: int) -> WritableIndex: ...
    def save(self, index: WritableIndex, before_commit: Callable[[], None] | None = None) -> None: ...
    def remove_leftovers(self) -> None: ...  # what a crashed writer left (the caller holds the write lock)
    def close(self) -> None: ...  # the connections it opened


class LocalPlace:
    """The index folder of a data folder (`home/index`)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def current(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None

    def load(self, model: str | None = None) -> LocalIndex | None:
        return LocalIndex.load(self.root, model=model)

    def load_for_write(self, model: str | None = None) -> LocalIndex | None:
        return self.load(model)  # the data folder's file lock is held by the caller

    def new(self, model: str, dim: int) -> LocalIndex:
        return LocalIndex(model, dim)

    def save(self, index: LocalIndex, before_commit: Callable[[], None] | None = None) -> None:  # type: ignore[override]
        index.save(self.root, before_commit=before_commit)

    def remove_leftovers(self) -> None:
        remove_leftovers(self.root)

    def close(self) -> None:
        """Nothing held: files are opened per read."""


def index_place(home: str | Path, database_url: str | None = None) -> IndexPlace:
    """The index beside the store a configuration names: in PostgreSQL with it, else in the data folder."""
    if database_url:
        from .postgres.place import PgPlace

        return PgPlace(database_url)
    return LocalPlace(Path(home) / "index")
