"""Fill the search keys of existing organizations and members, and on PostgreSQL index them by trigrams (pg_trgm), so
that a search for any part of a name (LIKE '%…%') reads the index instead of every row. Other databases get no index:
the search is the same, only slower on a large city."""

from django.db import migrations

INDEXES = [
    ("organizations_org_search_trgm", "organizations.Organization"),
    ("organizations_member_search_trgm", "organizations.Member"),
]
BATCH = 2000


def fill(apps, schema_editor):
    from machinery.search import search_key

    for label in ("organizations.Organization", "organizations.Member"):
        model = apps.get_model(label)
        rows = model.objects.using(schema_editor.connection.alias).only("pk", "name", "search_key").order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            key = search_key(row.name)
            if row.search_key != key:
                row.search_key = key
                batch.append(row)
            if len(batch) >= BATCH:
                model.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_key"])
                batch = []
        if batch:
            model.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_key"])


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, label in INDEXES:
        table = schema_editor.quote_name(apps.get_model(label)._meta.db_table)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_key gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _label in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_search_key"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
