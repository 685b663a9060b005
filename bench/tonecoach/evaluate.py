"""Precision and recall of the tone coach per kind, on a labelled set of sentences.

    python bench/tonecoach/evaluate.py                 # dev, dev2, test and blind

dev.jsonl and dev2.jsonl are development sets (tune on them); test.jsonl and
blind.jsonl are for reporting only. dev2.jsonl (435 sentences, alarm and label with
clean near misses) was written by a helper session acting as a Dutch-language writer,
without seeing the coach's code, word lists or the other sets (issue 18, second round).
dev3a.jsonl (404, primary school) and dev3b.jsonl (409, secondary school and MBO) were
written the same way by two further, independent writers (third round): tune on dev3a,
check on dev3b. Their long_sentence items have more than 25 words, all others 20 or fewer.
dev4.jsonl (288, fourth round, mostly labels and clean near misses) was written by a
helper session as twelve new personas; tune on --half 1, check on --half 2.
dev5.jsonl (484, fifth round: labels, clean near misses, alarm, jargon, passive, long
sentences) was written by another helper session as twelve further personas, without
seeing the code or the lists (dev5.README.md); tune on --half 1, check on --half 2.
Its halves are uneven by kind: nearly all labels are in the first half, nearly all
alarm, jargon and passive items in the second.
    python bench/tonecoach/evaluate.py --show-errors   # list misses and false alarms

A sentence counts as a true positive for a kind when it is labelled with that kind and
the coach reports at least one finding of that kind in it. Also reports the share of
clean sentences (no label at all) without a jargon, alarm or label finding.
Targets (issue 5): precision and recall >= 0.9 for jargon, alarm and label, >= 0.85
for passive; >= 95% of clean sentences without a jargon, alarm or label finding.
On the blind set of issue 18 (blind2.jsonl, never tuned on): recall >= 0.85 per kind
and >= 95% of clean sentences without a finding; precision per kind is reported.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402

settings.configure(USE_I18N=False)  # the coach's own texts, untranslated; no database

from bondgenoot.lib.tonecoach import KINDS, check  # noqa: E402

TARGETS = {"jargon": 0.9, "alarm": 0.9, "label": 0.9, "passive": 0.85, "long_sentence": 0.9}
CLEAN_TARGET = 0.95
# Issue 18's blind set: recall only, per kind.
BLIND_RECALL = {"blind2.jsonl": 0.85}


def evaluate(path: Path, show_errors: bool, half: int = 0) -> bool:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if half:  # by line order: 1 = first half (tune), 2 = second half (held out)
        middle = (len(rows) + 1) // 2
        rows = rows[:middle] if half == 1 else rows[middle:]
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    clean_total = clean_ok = 0
    for row in rows:
        found = {f.kind for f in check(row["text"]).findings}
        wanted = set(row["kinds"])
        for kind in KINDS:
            if kind in found and kind in wanted:
                counts[kind]["tp"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
                if show_errors:
                    print(f"  false {kind}: {row['text']}")
            elif kind in wanted:
                counts[kind]["fn"] += 1
                if show_errors:
                    print(f"  missed {kind}: {row['text']}  [{row.get('note', '')}]")
        if not wanted:
            clean_total += 1
            clean_ok += not (found & {"jargon", "alarm", "label"})
    part = f" (half {half})" if half else ""
    print(f"{path.name}{part}: {len(rows)} sentences, {clean_total} clean")
    print(f"{'kind':15} {'n':>4} {'precision':>10} {'recall':>8}  target")
    ok = True
    for kind in KINDS:
        c = counts[kind]
        n = c["tp"] + c["fn"]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / n if n else 1.0
        if path.name in BLIND_RECALL:
            target = BLIND_RECALL[path.name]
            met = recall >= target
            goal = f"recall {target:.2f}"
        else:
            target = TARGETS[kind]
            met = precision >= target and recall >= target
            goal = f"{target:.2f}"
        ok &= met
        print(
            f"{kind:15} {n:4d} {precision:10.2f} {recall:8.2f}  {goal} {'ok' if met else 'MISSED'}"
        )
    share = clean_ok / clean_total if clean_total else 1.0
    ok &= share >= CLEAN_TARGET
    print(f"clean sentences without jargon/alarm/label: {share:.1%} (target {CLEAN_TARGET:.0%})")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--half", type=int, choices=(1, 2), default=0, help="only the first or second half"
    )
    args = parser.parse_args()
    here = Path(__file__).parent
    files = args.files or [
        here / name
        for name in (
            "dev.jsonl",
            "dev2.jsonl",
            "dev3a.jsonl",
            "dev3b.jsonl",
            "dev4.jsonl",
            "dev5.jsonl",
            "test.jsonl",
            "blind.jsonl",
            "blind2.jsonl",
        )
    ]
    results = [evaluate(path, args.show_errors, args.half) for path in files if path.exists()]
    sys.exit(0 if results and all(results) else 1)


if __name__ == "__main__":
    main()
