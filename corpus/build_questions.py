#!/usr/bin/env python3
"""Build `index/data/questions.txt`: how people ask, for the diacritics model (`index/diacritics.py`).

Documents rarely write "ở đâu", "bao nhiêu", "có được không", so a model counted on the indexed text alone
restores "o dau" as "ở đầu". The model is fitted beside the indexed text on real users' legal questions:
the Zalo AI 2021 training questions that no evaluation uses (the 923 mapped onto Pháp điển are the
`tracuu eval zalo` set and are left out, as are their exact duplicates). Stdlib only; re-running it
rewrites the same file byte for byte.

    python3 corpus/build_questions.py        # sources in ../shared (relative to the repo root)
"""

import json
import os
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRACUU_SHARED", ROOT.parent / "shared"))
INC = SHARED / "data" / "incoming"
OUT = ROOT / "index" / "data" / "questions.txt"


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def main() -> None:
    questions = json.loads((INC / "zalo2021_questions" / "zalo_question.json").read_text(encoding="utf-8"))
    qrels = (INC / "phapdien_vn" / "zalo2021_on_phapdien_qrels.jsonl").read_text(encoding="utf-8")
    evaluated = {_clean(json.loads(line)["query"]) for line in qrels.splitlines() if line.strip()}
    kept, seen = [], set()
    for q in questions:
        text = _clean(q["text"])
        if text and text not in evaluated and text not in seen:
            seen.add(text)
            kept.append(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(kept)} questions ({len(questions) - len(kept)} left out)")


if __name__ == "__main__":
    main()
