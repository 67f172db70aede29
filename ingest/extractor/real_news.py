"""Score extractor backends on real published articles: `../shared/real-news/labels.jsonl`.

Usage: python -m ingest.extractor.real_news [--labels PATH] [--texts DIR] [--backend DOTTED.PATH]...
       [--split dev|test|all] [--corrected] [--verbose] [--json]

The texts are third-party writing, fetched locally (see evaluation/README.md) and never
committed; an excerpt whose text is absent is counted and named, not scored. Pairs are
(excerpt, nation, type): precision and recall over pairs, stance accuracy over matched pairs, and
a negative excerpt is clean when nothing is predicted for it. A candidate is *right* when its
pair is labelled with the same stance; confidence bands report how often that holds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extractor.backends import load_backend
from ingest.extractor.evaluate import Score
from ingest.extractor.gazetteer import Gazetteer, default_gazetteer
from ingest.extractor.types import Extractor

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LABELS = (
    ROOT.parent / "shared" / "real-news" / "labels.jsonl",
    ROOT / "evaluation" / "real-news" / "extra.jsonl",
)
DEFAULT_TEXTS = ROOT / "evaluation" / "real-news" / "texts"
CORRECTIONS = ROOT / "evaluation" / "real-news" / "corrections.jsonl"
BACKENDS = {
    "multilingual": "ingest.extractor.multilingual.MultilingualExtractor",
    "rules": "ingest.extractor.rules.RuleBasedExtractor",
}
BANDS = ((0.8, 1.01), (0.6, 0.8), (0.0, 0.6))


@dataclass
class Tally(Score):
    """A Score (pairs found, missed, wrong) that also counts the negative excerpts left clean."""

    negatives: int = 0
    negatives_clean: int = 0

    def summary(self) -> dict:
        return {
            **super().summary(),
            "negatives_clean": f"{self.negatives_clean}/{self.negatives}",
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_group: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    bands: dict[str, list[int]] = field(default_factory=dict)  # band -> [right, candidates]
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_labels(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def load_corrections(path: Path = CORRECTIONS) -> dict[str, dict]:
    """Corrections by excerpt id: {"id", "pledges": [...], "reason"} replacing the labels."""
    return {row["id"]: row for row in load_labels([path])}


def _band(confidence: float) -> str:
    for low, high in BANDS:
        if low <= confidence < high:
            return f">={low:.1f}" if high > 1 else f"{low:.1f}-{high:.1f}"
    return "?"


def score(
    rows: list[dict],
    texts: Path,
    extractor: Extractor,
    gazetteer: Gazetteer,
    corrections: dict[str, dict] | None = None,
) -> Report:
    report = Report(bands={_band(low): [0, 0] for low, _ in BANDS})
    began = time.perf_counter()
    for row in rows:
        path = texts / f"{row['id']}.txt"
        if not path.exists():
            report.missing.append(row["id"])
            continue
        labels = (corrections or {}).get(row["id"], row)["pledges"]
        expected = {(p["nation"], p["type"]): p["stance"] for p in labels}
        candidates = extractor.extract(path.read_text(encoding="utf-8"), gazetteer).candidates
        found = {(c.nation, c.type): c for c in candidates}
        lang = row["lang"]
        tallies = [
            report.overall,
            report.by_group["English" if lang == "en" else "other languages"],
            report.by_language[lang],
        ]
        for tally in tallies:
            tally.passages += 1
            if row["kind"] == "negative":
                tally.negatives += 1
                tally.negatives_clean += not found
        for pair, candidate in found.items():
            band = report.bands[_band(candidate.confidence)]
            band[1] += 1
            type_tallies = [*tallies, report.by_type[pair[1]]]
            if pair not in expected:
                for tally in type_tallies:
                    tally.false_positives += 1
                report.errors.append(
                    f"FP {row['id']}: {pair[0]} {pair[1]} {candidate.stance} "
                    f"({candidate.confidence:.2f}) | {candidate.evidence[:160]}"
                )
                continue
            right = expected[pair] == candidate.stance
            band[0] += right
            for tally in type_tallies:
                tally.true_positives += 1
                tally.stance_correct += right
            if not right:
                report.errors.append(
                    f"STANCE {row['id']}: {pair[0]} {pair[1]} {candidate.stance} "
                    f"(labelled {expected[pair]}) | {candidate.evidence[:160]}"
                )
        for pair, stance in expected.items():
            if pair not in found:
                for tally in [*tallies, report.by_type[pair[1]]]:
                    tally.false_negatives += 1
                report.errors.append(f"FN {row['id']}: {pair[0]} {pair[1]} {stance}")
    report.seconds = time.perf_counter() - began
    return report


def _line(name: str, tally: Tally) -> str:
    excerpts = str(tally.passages) if tally.passages else ""  # pairs, not excerpts, per type
    return (
        f"  {name:<16} {excerpts:>4} {tally.precision:>9.3f} {tally.recall:>7.3f} "
        f"{tally.stance_accuracy:>7.3f} {tally.true_positives:>4} {tally.false_positives:>4} "
        f"{tally.false_negatives:>4} {tally.negatives_clean:>5}/{tally.negatives}"
    )


def print_report(name: str, report: Report, verbose: bool) -> None:
    print(f"\n{name}: {report.overall.passages} excerpts in {report.seconds:.2f} s")
    header = f"  {'':<16} {'n':>4} {'precision':>9} {'recall':>7} {'stance':>7}"
    print(f"{header} {'tp':>4} {'fp':>4} {'fn':>4} {'clean':>7}")
    print(_line("all", report.overall))
    for title, group in (
        ("by group", report.by_group),
        ("by language", report.by_language),
        ("by type", report.by_type),
    ):
        print(f"  -- {title}")
        for key in sorted(group, key=lambda k: (-group[k].passages, k)):
            print(_line(key, group[key]))
    print("  -- precision by confidence band (right = pair and stance as labelled)")
    for band, (right, total) in report.bands.items():
        share = f"{right / total:.3f}" if total else "  -  "
        print(f"  {band:<16} {total:>4} candidates, {share} right")
    if verbose:
        for line in report.errors:
            print("  " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, action="append", help="labels JSONL (repeatable)")
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument(
        "--backend",
        action="append",
        help=f"dotted path or one of {', '.join(BACKENDS)} (repeatable; default: all of them)",
    )
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--corrected", action="store_true", help="score against corrections too")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    rows = load_labels(args.labels or list(DEFAULT_LABELS))
    if args.split != "all":
        rows = [row for row in rows if row.get("split", "dev") == args.split]
    if not rows:
        print(f"real news: no labelled excerpts in the {args.split} split")
        return 0
    present = [row for row in rows if (args.texts / f"{row['id']}.txt").exists()]
    if not present:
        print(
            f"real news: the texts of the {len(rows)} labelled excerpts are absent from "
            f"{args.texts}; fetch them as evaluation/README.md says. Nothing scored."
        )
        return 0
    gazetteer = default_gazetteer()
    corrections = load_corrections() if args.corrected else None
    payload = {}
    for backend in args.backend or list(BACKENDS):
        extractor = load_backend(BACKENDS.get(backend, backend))
        report = score(present, args.texts, extractor, gazetteer, corrections)
        if args.json:
            payload[backend] = {
                "overall": report.overall.summary(),
                "groups": {k: v.summary() for k, v in report.by_group.items()},
                "languages": {k: v.summary() for k, v in report.by_language.items()},
                "types": {k: v.summary() for k, v in report.by_type.items()},
                "bands": report.bands,
                "seconds": round(report.seconds, 3),
            }
        else:
            print_report(backend, report, args.verbose)
    absent = len(rows) - len(present)
    note = f"; {absent} excerpts have no text in {args.texts} and were not scored" if absent else ""
    if args.json:
        payload["absent"] = absent
        print(json.dumps(payload, sort_keys=True))
    else:
        print(f"\nreal news ({args.split} split): {len(present)} excerpts scored{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
