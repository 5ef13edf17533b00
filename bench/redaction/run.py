"""Benchmark: the redaction pass over real public comments, for speed and for masks to read.

Reads the real free-text comments in ../shared/data/text (NHS patient feedback and two Polis
conversations: text no one wrote to test the pass), times `redact` over 10,000 of them (tiled
when there are fewer), and lists every span it masks in all of them with some context, so a
person can read them and count the masks that were not personal. Prints the figures and writes
bench/results/redaction.json.

    .venv/bin/python bench/redaction/run.py [--texts 10000] [--show]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TEXT = ROOT.parent / "shared" / "data" / "text"
SOURCES = [
    (TEXT / "nhs-patient-feedback" / "text_data.csv", "feedback"),
    (TEXT / "polis-bowling-green" / "comments.csv", "comment-body"),
    (TEXT / "polis-london-youth-policing" / "comments.csv", "comment-body"),
]


def main() -> None:
    from policeplan.textanalysis.redact import find, redact

    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--show", action="store_true", help="print every masked span")
    args = parser.parse_args()
    texts: list[str] = []
    for path, column in SOURCES:
        with path.open(encoding="utf-8", errors="replace") as f:
            texts += [r[column] for r in csv.DictReader(f) if r[column].strip()]
    timed = (texts * (args.texts // len(texts) + 1))[: args.texts]
    started = time.perf_counter()
    for text in timed:
        redact(text)
    seconds = time.perf_counter() - started
    masked = [
        (f.kind, text[max(0, f.start - 30) : f.end + 20]) for text in texts for f in find(text)
    ]
    if args.show:
        for kind, context in masked:
            print(f"{kind:>28}  {context!r}")
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "texts_timed": len(timed),
        "seconds": round(seconds, 2),
        "ms_per_text": round(1000 * seconds / len(timed), 3),
        "real_texts": len(texts),
        "texts_with_a_mask": sum(1 for text in texts if find(text)),
        "masks_by_kind": dict(Counter(kind for kind, _ in masked)),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "redaction.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
