"""Database triggers that count every write the commitment matrix can show.

pledges.data_version reads it in one small query, so each request can check
whether its cached matrix is still current. Triggers see every write: the ORM, bulk
operations, `QuerySet.update` and raw SQL alike.

Sources are not counted: the matrix shows only how many sources a pledge has, which the link
table counts. New quotes are not counted until a pledge links them (the link table again),
so ingesting articles does not throw away the cached matrix.

- SQLite has one writer at a time, so a one-row counter bumped by row triggers is exact.
- PostgreSQL has many: a shared counter would make every writer wait for the others'
  commits. Statements append to a log instead, and the version is the log's newest id with
  its row count; the count also changes when a transaction that took an older id commits
  after a newer one. The log keeps its last ~100 rows.
"""

from django.db import migrations

COUNTED = {
    "pledges_bloc": "INSERT UPDATE DELETE",
    "pledges_condition": "INSERT UPDATE DELETE",
    "pledges_leader": "INSERT UPDATE DELETE",
    "pledges_nation": "INSERT UPDATE DELETE",
    "pledges_nation_blocs": "INSERT UPDATE DELETE",
    "pledges_pledge": "INSERT UPDATE DELETE",
    "pledges_pledge_conditions": "INSERT UPDATE DELETE",
    "pledges_pledge_quotes": "INSERT UPDATE DELETE",
    "pledges_pledge_sources": "INSERT UPDATE DELETE",
    "pledges_pledgetype": "INSERT UPDATE DELETE",
    "pledges_quote": "UPDATE DELETE",
}

POSTGRESQL_FUNCTION = """
CREATE FUNCTION pledges_matrix_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change bigint;
BEGIN
    INSERT INTO pledges_matrixchange DEFAULT VALUES RETURNING id INTO change;
    IF change % 100 = 0 THEN
        DELETE FROM pledges_matrixchange WHERE id < change - 100;
    END IF;
    RETURN NULL;
END $$
"""


def _run(schema_editor):
    # No parameters: `%` in the function body is the modulo operator, not a placeholder.
    return lambda sql: schema_editor.execute(sql, params=None)


def _install(apps, schema_editor):
    run = _run(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        run("CREATE TABLE pledges_matrixchange (id bigserial PRIMARY KEY)")
        run("INSERT INTO pledges_matrixchange DEFAULT VALUES")
        run(POSTGRESQL_FUNCTION)
        for table, events in COUNTED.items():
            run(
                f"CREATE TRIGGER pledges_matrix_changed AFTER {' OR '.join(events.split())} "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION pledges_matrix_changed()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        run("CREATE TABLE pledges_matrixversion (id integer PRIMARY KEY CHECK (id = 1), n integer)")
        run("INSERT INTO pledges_matrixversion (id, n) VALUES (1, 1)")
        for table, events in COUNTED.items():
            for event in events.split():
                run(
                    f"CREATE TRIGGER pledges_matrix_changed_{table}_{event.lower()} "
                    f"AFTER {event} ON {table} "
                    "BEGIN UPDATE pledges_matrixversion SET n = n + 1; END"
                )
    else:
        raise NotImplementedError("Pledgewatch runs on PostgreSQL or SQLite.")


def _remove(apps, schema_editor):
    run = _run(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for table in COUNTED:
            run(f"DROP TRIGGER IF EXISTS pledges_matrix_changed ON {table}")
        run("DROP FUNCTION IF EXISTS pledges_matrix_changed()")
        run("DROP TABLE IF EXISTS pledges_matrixchange")
    else:
        for table, events in COUNTED.items():
            for event in events.split():
                run(f"DROP TRIGGER IF EXISTS pledges_matrix_changed_{table}_{event.lower()}")
        run("DROP TABLE IF EXISTS pledges_matrixversion")


class Migration(migrations.Migration):
    dependencies = [("pledges", "0003_source_fingerprint_quote_reviewed_nation_seats")]

    operations = [migrations.RunPython(_install, _remove, elidable=False)]
