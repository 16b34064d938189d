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


@pytest.fixture(scope="session")
def seed_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(SEED)


@pytest.fixture(scope="session")
def nd20_doc():
    from tracuu.ingest.pipeline import ingest_file

    return ingest_file(ND20)
