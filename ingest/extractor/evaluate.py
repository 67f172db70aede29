"""Score an extractor against the labelled passages in evaluation/devset.jsonl.

Usage: python -m ingest.extractor.evaluate [PATH] [--verbose] [--json] [--backend DOTTED.PATH]

Precision and recall count (nation, type) pairs; stance accuracy is over the matched pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extractor.backends import DEFAULT_BACKEND, load_backend
from ingest.extractor.gazetteer import Gazetteer, default_gazetteer
from ingest.extractor.types import Extractor

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "evaluation" / "devset.jsonl"


@dataclass
class Score:
    passages: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    stance_correct: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_correct / self.true_positives if self.true_positives else 1.0

    def summary(self) -> dict:
        return {
            "passages": self.passages,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "stance_accuracy": round(self.stance_accuracy, 3),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def load_passages(path: Path = DEFAULT_PATH) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def split_of(passage: dict) -> str:
    return passage.get("split") or passage["id"].split("-", 1)[0]


def evaluate(
    passages: list[dict],
    extractor: Extractor | None = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Score]:
    """Scores per split and under "overall"."""
    extractor = extractor or load_backend(DEFAULT_BACKEND)
    gazetteer = gazetteer or default_gazetteer()
    scores: dict[str, Score] = {"overall": Score()}
    for passage in passages:
        expected = {(row["nation"], row["type"]): row["stance"] for row in passage["expected"]}
        found = {
            (c.nation, c.type): c.stance
            for c in extractor.extract(passage["text"], gazetteer).candidates
        }
        for name in (split_of(passage), "overall"):
            score = scores.setdefault(name, Score())
            score.passages += 1
            for pair, stance in found.items():
                if pair not in expected:
                    score.false_positives += 1
                    score.errors.append(f"FP {passage['id']}: {pair[0]} {pair[1]} {stance}")
                    continue
                score.true_positives += 1
                if expected[pair] == stance:
                    score.stance_correct += 1
                else:
                    score.errors.append(
                        f"STANCE {passage['id']}: {pair[0]} {pair[1]} {stance} "
                        f"(expected {expected[pair]})"
                    )
            for pair, stance in expected.items():
                if pair not in found:
                    score.false_negatives += 1
                    score.errors.append(f"FN {passage['id']}: {pair[0]} {pair[1]} {stance}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--verbose", action="store_true", help="list false positives/negatives")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, help="dotted path of the extractor")
    args = parser.parse_args(argv)

    passages = load_passages(args.path)
    began = time.perf_counter()
    scores = evaluate(passages, load_backend(args.backend))
    seconds = time.perf_counter() - began
    if args.json:
        payload = {name: score.summary() for name, score in scores.items()}
        payload["seconds"] = round(seconds, 3)
        if args.verbose:
            payload["errors"] = scores["overall"].errors
        print(json.dumps(payload, sort_keys=True))
        return 0
    print(f"{'split':<8} {'n':>4} {'precision':>9} {'recall':>7} {'stance':>7}")
    for name in sorted(scores, key=lambda n: (n == "overall", n)):
        s = scores[name]
        print(
            f"{name:<8} {s.passages:>4} {s.precision:>9.3f} {s.recall:>7.3f} "
            f"{s.stance_accuracy:>7.3f}"
        )
    print(f"{len(passages)} passages in {seconds:.2f} s")
    if args.verbose:
        for line in scores["overall"].errors:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
