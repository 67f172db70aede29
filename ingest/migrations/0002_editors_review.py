"""Give the Editors group what reviewing needs: candidates, feeds and article submissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "candidate": ["view", "change"],
    "feed": ["view", "add", "change", "delete"],
    "article": ["view", "add", "change"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("ingest")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for model, actions in PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="ingest",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *editors.permissions.filter(content_type__app_label="ingest")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
        ("pledges", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
