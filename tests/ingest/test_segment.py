"""underthesea loads its models lazily into a global another thread can see half-loaded: the first use
must be safe from many threads at once (a fresh process, as a server starts)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading
from tracuu.ingest.segment import word_segment, sentence_spans
out, errors = [], []
def work():
    try:
        out.append(word_segment("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp."))
        sentence_spans("Câu thứ nhất khá dài để được tách bằng underthesea thay vì giữ nguyên cả dòng. Câu thứ hai.")
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
assert not errors, errors
assert len(set(out)) == 1 and "Lao_động" in out[0], out
"""


def test_first_use_from_many_threads():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
