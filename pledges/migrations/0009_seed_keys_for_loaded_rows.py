"""Give the rows an earlier `load_seed` created their seed keys, found by the natural keys it
matched on then, so that the next load recognises them however editors change them; and give
the seed article's source, where no editor has touched it, its real outlet and address."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify

SEEDS = Path(settings.BASE_DIR) / "seeds"
OLD_SEED_URL = "file:seeds/000_ac9b6a256edaf299.txt"


def read(name):
    with open(SEEDS / name, encoding="utf-8") as handle:
        return json.load(handle)


def add_keys(apps, schema_editor):
    if not (SEEDS / "seed_article.json").exists():
        return
    Nation, Bloc = apps.get_model("pledges", "Nation"), apps.get_model("pledges", "Bloc")
    PledgeType, Leader = apps.get_model("pledges", "PledgeType"), apps.get_model("pledges", "Leader")
    Condition, Source = apps.get_model("pledges", "Condition"), apps.get_model("pledges", "Source")
    Quote, Pledge = apps.get_model("pledges", "Quote"), apps.get_model("pledges", "Pledge")
    for row in read("nations.json"):
        Nation.objects.filter(iso2=row["iso2"], seed_key=None).update(seed_key=row["iso2"])
    for row in read("blocs.json"):
        Bloc.objects.filter(slug=row["slug"], seed_key=None).update(seed_key=row["slug"])
    for row in read("pledge_types.json"):
        PledgeType.objects.filter(slug=row["slug"], seed_key=None).update(seed_key=row["slug"])
    for row in read("leaders.json"):
        Leader.objects.filter(name=row["name"], nation__iso2=row["nation"], seed_key=None).update(
            seed_key=slugify(f"{row['nation']} {row['name']}")
        )
    fixture = read("seed_article.json")
    for row in fixture["conditions"]:
        Condition.objects.filter(name=row["name"], seed_key=None).update(
            seed_key=slugify(row["name"])
        )
    meta = fixture["source"]
    source = Source.objects.filter(url=OLD_SEED_URL, seed_key=None).first()
    if source is None:
        return
    source.seed_key = meta["key"]
    if source.outlet == "Seed article" and not Source.objects.filter(url=meta["url"]).exists():
        source.url, source.outlet = meta["url"], meta["outlet"]
    source.save(update_fields=["seed_key", "url", "outlet"])
    for row in fixture["quotes"]:
        Quote.objects.filter(source=source, text=row["text"], seed_key=None).update(
            seed_key=row["key"]
        )
    for row in fixture["pledges"]:
        Pledge.objects.filter(
            nation__iso2=row["nation"],
            pledge_type__slug=row["type"],
            announced_on=row["announced_on"],
            stance=row["stance"],
            sources=source,
            seed_key=None,
        ).update(seed_key=row["key"])


class Migration(migrations.Migration):
    dependencies = [("pledges", "0008_seed_keys")]

    operations = [migrations.RunPython(add_keys, migrations.RunPython.noop)]
