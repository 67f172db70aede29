"""The data-version triggers (0004) also record which table they count, so that a reader can ask
about a few tables only: the extractor's gazetteer of nations, leaders and pledge types is not
rebuilt each time a pledge changes. The same tables and events are counted.

- SQLite: one counter per table, bumped by row triggers; the version is their sum.
- PostgreSQL: statements append their table to the log. Pruning keeps each table's newest
  row, so no table's newest id ever goes back; it removes only rows more than ~100 changes
  old, and the version's sum of ids tells a commit that adds one row and prunes one apart
  from no change.
"""

from importlib import import_module

from django.db import migrations

data_version_0004 = import_module("pledges.migrations.0004_matrix_data_version")
COUNTED = data_version_0004.COUNTED

POSTGRESQL_FUNCTION = """
CREATE FUNCTION pledges_matrix_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change bigint;
BEGIN
    INSERT INTO pledges_matrixchange (table_name) VALUES (TG_TABLE_NAME) RETURNING id INTO change;
    IF change % 100 = 0 THEN
        DELETE FROM pledges_matrixchange WHERE id < change - 100 AND id NOT IN (
            SELECT MAX(id) FROM pledges_matrixchange GROUP BY table_name
        );
    END IF;
    RETURN NULL;
END $$
"""


def _install(apps, schema_editor):
    # No parameters: `%` in the function body is the modulo operator, not a placeholder.
    def run(sql):
        schema_editor.execute(sql, params=None)

    data_version_0004._remove(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        run(
            "CREATE TABLE pledges_matrixchange (id bigserial PRIMARY KEY, table_name text NOT NULL)"
        )
        for table in COUNTED:
            schema_editor.execute(
                "INSERT INTO pledges_matrixchange (table_name) VALUES (%s)", params=[table]
            )
        run(POSTGRESQL_FUNCTION)
        for table, events in COUNTED.items():
            run(
                f"CREATE TRIGGER pledges_matrix_changed AFTER {' OR '.join(events.split())} "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION pledges_matrix_changed()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        run("CREATE TABLE pledges_matrixversion (table_name text PRIMARY KEY, n integer NOT NULL)")
        for table, events in COUNTED.items():
            schema_editor.execute(
                "INSERT INTO pledges_matrixversion (table_name, n) VALUES (%s, 1)", params=[table]
            )
            for event in events.split():
                run(
                    f"CREATE TRIGGER pledges_matrix_changed_{table}_{event.lower()} "
                    f"AFTER {event} ON {table} BEGIN UPDATE pledges_matrixversion "
                    f"SET n = n + 1 WHERE table_name = '{table}'; END"
                )
    else:
        raise NotImplementedError("Pledgewatch runs on PostgreSQL or SQLite.")


def _restore_0004(apps, schema_editor):
    # 0004's removal drops these triggers and tables by the same names.
    data_version_0004._remove(apps, schema_editor)
    data_version_0004._install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0005_source_originals_index")]

    operations = [migrations.RunPython(_install, _restore_0004, elidable=False)]
