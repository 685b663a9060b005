"""How long the tone coach takes for a 150-word message (target: median <= 5 ms).

    python bench/tonecoach/speed.py [-n 2000]

Runs the check on a realistic 150-word message, with warm caches (the lexicons are
loaded once per process) and with the word caches cleared before every run (as for a
message full of words not seen before). Prints the median and 95th percentile.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from django.conf import settings

settings.configure(USE_I18N=False)  # the coach's own texts, untranslated; no database

from bondgenoot.lib import tonecoach  # noqa: E402
from bondgenoot.lib.tonecoach import morphology  # noqa: E402

MESSAGE = (
    "Beste ouders van Noah, "
    "Wij maken ons ernstige zorgen over het risicogedrag van uw zoon. "
    "Er is besloten dat zijn situatie in het ZAT-overleg wordt besproken. "
    "Indien u niet reageert, zien wij ons genoodzaakt om verdere stappen te nemen. "
    "Noah was deze week drie keer te laat en hij maakte zijn huiswerk niet. "
    "In de les is hij vaak brutaal en ongemotiveerd volgens zijn docenten. "
    "We willen graag met u meedenken over hoe we Noah kunnen helpen. "
    "Wij nodigen u daarom uit voor een gesprek op school op dinsdag 12 maart om 15.30 uur, "
    "samen met de mentor en, als u dat wilt, een tolk die uw taal spreekt. "
    "Het handelingsplan wordt dan samen met u besproken en aangepast waar dat nodig is. "
    "Kunt u ons laten weten of dit tijdstip u uitkomt? "
    "U kunt ook bellen of een bericht sturen via de app. "
    "Met vriendelijke groet, Sanne de Jong, mentor van klas 1A"
)


def run(n: int, cold: bool) -> tuple[list[float], list[float]]:
    samples, cpu = [], []
    for _ in range(n):
        if cold:
            tonecoach.lemma.cache_clear()
            tonecoach.syllables.cache_clear()
            morphology.is_participle.cache_clear()
            morphology.compound_parts.cache_clear()
        started, cpu_started = time.perf_counter(), time.thread_time()
        tonecoach.check(MESSAGE)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
    return samples, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    words = len(tonecoach.WORD.findall(MESSAGE))
    tonecoach.check(MESSAGE)  # load lexicons and simplemma's dictionary once
    print(f"message: {words} words; {args.n} runs each")
    for label, cold in (("warm word caches", False), ("cold word caches", True)):
        wall, cpu = run(args.n, cold)
        samples = sorted(wall)
        p95 = samples[int(0.95 * (len(samples) - 1))]
        print(
            f"{label:18} median {statistics.median(samples):.2f} ms   p95 {p95:.2f} ms"
            f"   CPU median {statistics.median(cpu):.2f} ms"  # a loaded machine: wall > CPU
        )


if __name__ == "__main__":
    main()
