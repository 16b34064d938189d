"""Shared paths and fixtures. Tests read real data: the shipped corpus and ../shared beside the clone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "ke-hoach-1212-KH-UBND-khanh-hoa-asean-2021-2025.md"
ND20 = CORPUS / "nghi-dinh-20-2021-ND-CP.md"
SHARED = ROOT.parent / "shared"
PLANS = SHARED / "data" / "incoming" / "plans"

needs_shared = pytest.mark.skipif(
    not PLANS.is_dir(), reason="../shared (benchmark data) is not beside the clone"
)


def nd20_opening(folder: Path) -> Path:
    """Nghị định 20/2021 up to Chương III (Điều 1–11): enough legal text, fewer chunks to embed."""
    text = ND20.read_text(encoding="utf-8")
    path = folder / "nghi-dinh-20-2021-ND-CP.md"
    path.write_text(text[: text.index("Chương III")], encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def seed_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(SEED)


@pytest.fixture(scope="session")
def nd20_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(ND20)
