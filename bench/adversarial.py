"""Texts made to make extraction slow (issue 16), and how long each backend takes on them.

One nation name repeated to the fetch cap once ran longer than any worker's time limit: each
name before a capitalised word scanned every mention. Every step is linear now; these texts
say so per KB, at full size and at an eighth of it (a flat ratio is a linear cost), and how
long the pipeline spends on each once EXTRACT_MAX_CHARS has cut it.

`make bench` includes them; `python -m bench.adversarial` measures only these and prints them
with their targets as JSON. `--kb N` (or BENCH_ADVERSARIAL_KB; default 5120, the fetch cap)
sets the size of the long texts.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.extractor.gazetteer import Gazetteer

# The fetch cap (settings.FETCH_MAX_BYTES) is 5 MB: the longest text a page can give.
FULL_KB = 5 * 1024
SENTENCES = 10_000
NAMES = 10_000
BACKENDS = {
    "multilingual": "ingest.extractor.multilingual.MultilingualExtractor",
    "rules": "ingest.extractor.rules.RuleBasedExtractor",
}
# The worst text's cost per KB for each backend, and the pipeline's longest extraction of one.
MAX_MS_PER_KB = 5.0
MAX_CAPPED_SECONDS = 10.0
# Full size over an eighth of it, in ms per KB: 1 when linear, 8 when quadratic.
MAX_GROWTH = 2.0
SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "000_ac9b6a256edaf299.txt"


def _fill(unit: str, kb: int) -> str:
    return (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]


def repeated_name(kb: int) -> str:
    """ "France France France ...": one name, each followed by a capitalised word."""
    return _fill("France ", kb)


def one_word_sentences(count: int = SENTENCES) -> str:
    """ "France. Troops. Will. Ukraine. Yes. ...": a sentence every few characters, each one a
    nation, a type, a cue, the protected country or nothing."""
    words = ("France.", "Troops.", "Will.", "Ukraine.", "Yes.")
    return " ".join(itertools.islice(itertools.cycle(words), count))


def one_line(kb: int) -> str:
    """The seed article, quotes, speakers, pledges and all, repeated with no line break."""
    return _fill(" ".join(SEED_ARTICLE.read_text(encoding="utf-8").split()) + " ", kb)


def nation_list(gazetteer: Gazetteer, count: int = NAMES) -> str:
    """ "France, Germany, Italy, ... will send troops to Ukraine.": one subject, `count` names."""
    names = [nation.name for nation in gazetteer.nations]
    listed = ", ".join(itertools.islice(itertools.cycle(names), count))
    return f"{listed} will send troops to Ukraine."


def texts(gazetteer: Gazetteer, kb: int = FULL_KB, scale: float = 1.0) -> dict[str, str]:
    """The four texts of issue 16; `scale` shrinks every one of them."""
    return {
        "repeated_name": repeated_name(max(1, round(kb * scale))),
        "one_word_sentences": one_word_sentences(round(SENTENCES * scale)),
        "one_line": one_line(max(1, round(kb * scale))),
        "nation_list": nation_list(gazetteer, round(NAMES * scale)),
    }


def _seconds(call: Callable[[], object], repeats: int = 1) -> float:
    """CPU seconds of the call (the best of `repeats`): extraction is this process's own work,
    and its CPU time moves less than the clock with what else the shared machine runs."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def _kb(text: str) -> float:
    return len(text.encode()) / 1024


def measure(kb: int = FULL_KB) -> dict:
    """Per backend and text: seconds and ms per KB; the worst ms per KB and how it grows from an
    eighth of the size; the pipeline's seconds once the text is cut to EXTRACT_MAX_CHARS."""
    from ingest.extractor import default_gazetteer, load_backend
    from ingest.extractor.bounds import DEFAULT_MAX_CHARS, BoundedExtractor

    gazetteer = default_gazetteer()
    full, eighth = texts(gazetteer, kb), texts(gazetteer, kb, 1 / 8)
    results: dict = {"adversarial_kb": {case: round(_kb(text), 1) for case, text in full.items()}}
    for name, path in BACKENDS.items():
        backend = load_backend(path)
        backend.extract("France will send troops to Ukraine.", gazetteer)  # compile the patterns
        per_kb, growth = {}, {}
        for case, text in full.items():
            seconds = _seconds(lambda b=backend, t=text: b.extract(t, gazetteer))
            small = eighth[case]
            small_seconds = _seconds(lambda b=backend, t=small: b.extract(t, gazetteer), 3)
            per_kb[case] = seconds * 1000 / _kb(text)
            growth[case] = per_kb[case] / max(small_seconds * 1000 / _kb(small), 1e-9)
            results[f"adversarial_s.{name}.{case}"] = seconds
        worst = max(per_kb, key=per_kb.__getitem__)
        results[f"adversarial_ms_per_kb.{name}"] = {case: round(v, 3) for case, v in per_kb.items()}
        results[f"adversarial_worst_ms_per_kb.{name}"] = per_kb[worst]
        results[f"adversarial_worst_text.{name}"] = worst
        results[f"adversarial_growth.{name}"] = max(growth.values())
    # What the pipeline spends: the default backend on each text once the cap has cut it.
    max_chars = int(os.environ.get("EXTRACT_MAX_CHARS") or DEFAULT_MAX_CHARS)
    bounded = BoundedExtractor(load_backend(BACKENDS["multilingual"]), max_chars)
    capped = {
        case: _seconds(lambda t=text: bounded.extract(t, gazetteer)) for case, text in full.items()
    }
    results["adversarial_capped_max_chars"] = max_chars
    results["adversarial_capped_s"] = max(capped.values())
    return results


def targets(r: dict) -> dict[str, bool]:
    return {
        f"adversarial worst <= {MAX_MS_PER_KB:g} ms/KB, both backends": all(
            r[f"adversarial_worst_ms_per_kb.{name}"] <= MAX_MS_PER_KB for name in BACKENDS
        ),
        f"adversarial ms/KB at full size <= {MAX_GROWTH:g} x an eighth (linear)": all(
            r[f"adversarial_growth.{name}"] <= MAX_GROWTH for name in BACKENDS
        ),
        f"adversarial page through the pipeline <= {MAX_CAPPED_SECONDS:g} s": r[
            "adversarial_capped_s"
        ]
        <= MAX_CAPPED_SECONDS,
    }


def size_kb(argv: list[str]) -> int:
    """`--kb N` from the command line, else BENCH_ADVERSARIAL_KB, else the fetch cap."""
    if "--kb" in argv:
        return int(argv[argv.index("--kb") + 1])
    return int(os.environ.get("BENCH_ADVERSARIAL_KB") or FULL_KB)


def main() -> None:
    results = measure(size_kb(sys.argv))
    results["targets"] = targets(results)
    print(json.dumps(_rounded(results), indent=2))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


if __name__ == "__main__":
    main()
