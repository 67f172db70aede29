"""Create the "Editors" group with every permission on the curated data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CURATED_MODELS = ["bloc", "nation", "leader", "pledgetype", "condition", "source", "quote", "pledge"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group
    # can be given them in a fresh database.
    app_config = apps.get_app_config("pledges")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pledges", content_type__model__in=CURATED_MODELS
        )
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
