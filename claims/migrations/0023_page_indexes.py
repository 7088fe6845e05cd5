"""Pages at a newsroom's scale (bench/pages_bench.py): each claim stores the severity of
its worst unresolved flag (`open_severity`), kept by triggers, so that "most urgent
first" reads a page of 50 from an index instead of looking up the flags of every claim
in the queue; and the claims list's default order gets an index of its own.

Triggers rather than code in each writer: flags change status and claims in the scans'
bulk statements, the services and the admin alike, and a write that forgot the column
would leave a queue in the wrong order without a sound. On PostgreSQL the links of a
flag to its claims are handled per statement (a scan inserts thousands at once); a
flag's status or severity per row, only when one of them changes (so the scans'
`last_seen` stamps cost nothing more)."""

# The SQL below is built from constants of this module only.
# ruff: noqa: S608

from django.db import migrations, models
from django.db.models import F

UNRESOLVED = "('open', 'acknowledged')"

WORST = f"""
    SELECT max(f.severity) FROM claims_flag_claims fc
      JOIN claims_flag f ON f.id = fc.flag_id
     WHERE fc.claim_id = {{claim}} AND f.status IN {UNRESOLVED}"""

POSTGRES_UP = [
    f"""CREATE FUNCTION claims_rank_open_severity(ids bigint[]) RETURNS void AS $$
    UPDATE claims_claim c SET open_severity = w.severity
      FROM (SELECT i.id, COALESCE(max(f.severity)
                  FILTER (WHERE f.status IN {UNRESOLVED}), 0) AS severity
              FROM unnest(ids) AS i(id)
              LEFT JOIN claims_flag_claims fc ON fc.claim_id = i.id
              LEFT JOIN claims_flag f ON f.id = fc.flag_id
             GROUP BY i.id) w
     WHERE c.id = w.id AND c.open_severity <> w.severity;
$$ LANGUAGE sql""",
    """CREATE FUNCTION claims_flag_links_added() RETURNS trigger AS $$
BEGIN
    PERFORM claims_rank_open_severity(ARRAY(SELECT DISTINCT claim_id FROM added));
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION claims_flag_links_removed() RETURNS trigger AS $$
BEGIN
    PERFORM claims_rank_open_severity(ARRAY(SELECT DISTINCT claim_id FROM removed));
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION claims_flag_rank_changed() RETURNS trigger AS $$
BEGIN
    PERFORM claims_rank_open_severity(
        ARRAY(SELECT claim_id FROM claims_flag_claims WHERE flag_id = NEW.id));
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER claims_flag_links_added AFTER INSERT ON claims_flag_claims
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION claims_flag_links_added()""",
    """CREATE TRIGGER claims_flag_links_removed AFTER DELETE ON claims_flag_claims
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION claims_flag_links_removed()""",
    """CREATE TRIGGER claims_flag_rank_changed AFTER UPDATE OF status, severity ON claims_flag
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.severity IS DISTINCT FROM NEW.severity)
    EXECUTE FUNCTION claims_flag_rank_changed()""",
    f"""UPDATE claims_claim c SET open_severity = w.severity
  FROM (SELECT fc.claim_id, max(f.severity) AS severity
          FROM claims_flag_claims fc JOIN claims_flag f ON f.id = fc.flag_id
         WHERE f.status IN {UNRESOLVED}
         GROUP BY fc.claim_id) w
 WHERE c.id = w.claim_id""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS claims_flag_links_added ON claims_flag_claims",
    "DROP TRIGGER IF EXISTS claims_flag_links_removed ON claims_flag_claims",
    "DROP TRIGGER IF EXISTS claims_flag_rank_changed ON claims_flag",
    "DROP FUNCTION IF EXISTS claims_flag_links_added()",
    "DROP FUNCTION IF EXISTS claims_flag_links_removed()",
    "DROP FUNCTION IF EXISTS claims_flag_rank_changed()",
    "DROP FUNCTION IF EXISTS claims_rank_open_severity(bigint[])",
]


def _sqlite_rank(where: str) -> str:
    worst = WORST.format(claim="claims_claim.id")
    return f"UPDATE claims_claim SET open_severity = COALESCE(({worst}), 0) WHERE {where};"


SQLITE_UP = [
    f"""CREATE TRIGGER claims_flag_links_added AFTER INSERT ON claims_flag_claims
    BEGIN {_sqlite_rank("id = NEW.claim_id")} END""",
    f"""CREATE TRIGGER claims_flag_links_removed AFTER DELETE ON claims_flag_claims
    BEGIN {_sqlite_rank("id = OLD.claim_id")} END""",
    f"""CREATE TRIGGER claims_flag_rank_changed AFTER UPDATE OF status, severity ON claims_flag
    WHEN OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity
    BEGIN
        {_sqlite_rank("id IN (SELECT claim_id FROM claims_flag_claims WHERE flag_id = NEW.id)")}
    END""",
    _sqlite_rank("id IN (SELECT claim_id FROM claims_flag_claims)").rstrip(";"),
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS claims_flag_links_added",
    "DROP TRIGGER IF EXISTS claims_flag_links_removed",
    "DROP TRIGGER IF EXISTS claims_flag_rank_changed",
]


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}.get(vendor, []):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0022_notifications_webhooks"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="open_severity",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                F("open_severity").desc(),
                F("priority").desc(),
                F("due_at").asc(),
                F("created_at").asc(),
                F("id").desc(),
                name="claim_urgent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                F("priority").desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="claim_list_order_idx",
            ),
        ),
    ]
