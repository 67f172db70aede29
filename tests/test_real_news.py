"""The real-news report: scored from local texts, and plain about texts that are absent."""

from __future__ import annotations

import json

from ingest.extractor.real_news import main


def write_labels(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


ROWS = [
    {
        "id": "one",
        "lang": "en",
        "kind": "positive",
        "pledges": [
            {"nation": "DK", "type": "equipment", "stance": "committed"},
            {"nation": "NO", "type": "training", "stance": "open"},
        ],
    },
    {"id": "two", "lang": "fr", "kind": "negative", "pledges": []},
]


def test_absent_texts_are_named_not_scored(tmp_path, capsys):
    write_labels(tmp_path / "labels.jsonl", ROWS)
    code = main(["--labels", str(tmp_path / "labels.jsonl"), "--texts", str(tmp_path / "none")])
    assert code == 0
    assert "absent" in capsys.readouterr().out


def test_pairs_stances_and_negatives_are_scored(tmp_path, capsys):
    write_labels(tmp_path / "labels.jsonl", ROWS)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "one.txt").write_text(
        "Denmark delivered a new batch of artillery shells to Ukraine on Monday.",
        encoding="utf-8",
    )
    (texts / "two.txt").write_text(
        "La France a vendu des avions Rafale à l'Indonésie, sans rapport avec l'Ukraine.",
        encoding="utf-8",
    )
    args = ["--labels", str(tmp_path / "labels.jsonl"), "--texts", str(texts), "--json"]
    main([*args, "--backend", "multilingual"])
    report = json.loads(capsys.readouterr().out)["multilingual"]
    assert report["overall"]["true_positives"] == 1  # Denmark's shells
    assert report["overall"]["false_negatives"] == 1  # Norway is not in the text
    assert report["overall"]["negatives_clean"] == "1/1"
    assert report["languages"]["fr"]["passages"] == 1
