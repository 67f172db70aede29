"""200 varied news articles for the extraction benchmark: the seed article's sentence
patterns recast with other nations, leaders and commitments, among noise paragraphs."""

from __future__ import annotations

import json
import random
import re
from html import escape
from pathlib import Path

from tests.stub_server import article_paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_ARTICLE = SEEDS / "000_ac9b6a256edaf299.txt"

# (pattern in the seed article, role): roles are filled per article with other nations.
ROLES = {
    "Emmanuel Macron": "leader_a",
    "Macron": "surname_a",
    "France": "nation_a",
    "French": "demonym_a",
    "Paris": "capital_a",
    "Giorgia Meloni": "leader_b",
    "Meloni": "surname_b",
    "Italy": "nation_b",
    "Italian": "demonym_b",
    "Germany": "nation_c",
}
COMMITMENTS = (
    "troops",
    "warships",
    "air-defence systems",
    "military trainers",
    "ceasefire monitors",
    "fighter jets",
    "minehunters",
)
NOISE = (
    "Shares in European defence companies rose on {weekday}, with analysts pointing to "
    "order books that stretch well into the next decade and to shortages of skilled workers "
    "at several plants in {city}.",
    "Weather forecasters warned of heavy rain across {city} and the surrounding region, where "
    "rail services were cut back and several schools closed early for the {nth} time this "
    "month.",
    "The city's football club confirmed that its new stadium in {city} would open next season, "
    "after a delay of {n} months caused by rising construction costs and a planning dispute.",
    "In other news, the central bank kept interest rates unchanged at {n} basis points above "
    "last year's level, citing stubborn services inflation and a weaker labour market.",
    "A museum in {city} reopened after renovation, displaying {n} paintings that had been kept "
    "in storage since the building was damaged by a storm.",
    "Farmers staged a protest outside the parliament in {city} over fuel prices, blocking "
    "traffic for several hours before police negotiated an end to the demonstration.",
    "The government also announced a review of {n} hospitals' emergency departments, saying "
    "waiting times had grown since the pandemic and staff shortages remained acute.",
    "Tourism figures published on {weekday} showed a record summer for {city}, with hotel "
    "occupancy above {n} percent in August.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
CITIES = ("Lyon", "Hamburg", "Turin", "Gdansk", "Porto", "Ghent", "Tampere", "Bergen")


def _cast() -> list[dict[str, str]]:
    """Nations that have a seed leader, with the words articles use for them."""
    nations = {n["iso2"]: n for n in json.loads((SEEDS / "nations.json").read_text())}
    cast = []
    seen = set()
    for leader in json.loads((SEEDS / "leaders.json").read_text()):
        nation = nations.get(leader["nation"])
        if not nation or nation["iso2"] in seen or not nation.get("demonyms"):
            continue
        seen.add(nation["iso2"])
        cast.append(
            {
                "nation": nation["name"],
                "demonym": nation["demonyms"][0],
                "capital": nation.get("capital") or nation["name"],
                "leader": leader["name"],
                "surname": leader["name"].split()[-1],
            }
        )
    return cast


def _seed_sentences() -> list[str]:
    return [
        line.strip()
        for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
        if len(line.split()) > 8
    ]


def article_text(index: int, cast: list[dict[str, str]], sentences: list[str]) -> list[str]:
    rng = random.Random(index)
    a, b, c = rng.sample(cast, 3)
    words = {
        "leader_a": a["leader"],
        "surname_a": a["surname"],
        "nation_a": a["nation"],
        "demonym_a": a["demonym"],
        "capital_a": a["capital"],
        "leader_b": b["leader"],
        "surname_b": b["surname"],
        "nation_b": b["nation"],
        "demonym_b": b["demonym"],
        "nation_c": c["nation"],
    }
    pattern = re.compile("|".join(re.escape(k) for k in sorted(ROLES, key=len, reverse=True)))
    commitment = rng.choice(COMMITMENTS)
    chosen = sorted(rng.sample(range(len(sentences)), min(len(sentences), rng.randint(18, 26))))
    paragraphs = [
        pattern.sub(lambda m: words[ROLES[m.group()]], sentences[i]).replace("troops", commitment)
        for i in chosen
    ]
    for paragraph in article_paragraphs(index)[:4]:
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), paragraph)
    for template in rng.sample(NOISE, 4):
        noise = template.format(
            weekday=rng.choice(WEEKDAYS),
            city=rng.choice(CITIES),
            n=rng.randrange(3, 90),
            nth=rng.choice(("second", "third", "fourth")),
        )
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), noise)
    return paragraphs


def article_html(index: int, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "".join(
        f'<li><a href="/news/{index + k}">Related story {k}</a></li>' for k in range(8)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Allies set out security guarantees (report {index}) | Bench Herald</title>
<meta property="og:site_name" content="Bench Herald">
<meta property="article:published_time" content="2025-09-{index % 28 + 1:02d}T08:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/europe">Europe</a>
<a href="/business">Business</a> <a href="/sport">Sport</a></nav>
<form action="/search"><input name="q"></form></header>
<main><article><h1>Allies set out security guarantees (report {index})</h1>
<p class="byline">By Bench Herald staff</p>
{body}
</article><aside><h2>Most read</h2><ul>{related}</ul></aside></main>
<footer><p>&copy; 2025 Bench Herald</p><a href="/privacy">Privacy</a>
<a href="/cookies">Cookies</a></footer>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{page: {index}}});</script>
</body></html>"""


def articles(count: int = 200) -> list[str]:
    """`count` HTML pages, deterministic by index."""
    cast, sentences = _cast(), _seed_sentences()
    return [article_html(i, article_text(i, cast, sentences)) for i in range(count)]
