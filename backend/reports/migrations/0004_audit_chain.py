"""The audit trail becomes append-only and tamper-evident (backend/reports/audit_chain.py).

Existing events are sealed into per-report hash chains in id order, then the database itself refuses
updates (except the retention command's redaction) and, on PostgreSQL, deletes.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from backend.reports.audit_chain import content_digest, link_hash

    ReportEvent = apps.get_model("reports", "ReportEvent")
    prev_by_report: dict[int, str] = {}
    for event in ReportEvent.objects.order_by("report_id", "id").iterator():
        prev = prev_by_report.get(event.report_id, "")
        event.content_digest = content_digest(event.note, event.old_value, event.new_value)
        event.prev_hash = prev
        event.hash = link_hash(event, prev)
        ReportEvent.objects.filter(pk=event.pk).update(
            content_digest=event.content_digest, prev_hash=prev, hash=event.hash
        )
        prev_by_report[event.report_id] = event.hash


# The only update allowed: blanking an unredacted event's note (and values) while marking it redacted.
_SAME = (
    "NEW.id = OLD.id AND NEW.report_id = OLD.report_id AND NEW.kind = OLD.kind "
    "AND NEW.actor_id {same} OLD.actor_id AND NEW.actor_role = OLD.actor_role "
    "AND NEW.old_status = OLD.old_status AND NEW.new_status = OLD.new_status AND NEW.is_public = OLD.is_public "
    "AND NEW.created_at = OLD.created_at AND NEW.content_digest = OLD.content_digest "
    "AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash "
    "AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.note = ''"
)

POSTGRES = f"""
CREATE OR REPLACE FUNCTION reports_reportevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {_SAME.format(same="IS NOT DISTINCT FROM")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'report events are append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER reports_reportevent_append_only BEFORE UPDATE OR DELETE ON reports_reportevent
    FOR EACH ROW EXECUTE FUNCTION reports_reportevent_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS reports_reportevent_append_only ON reports_reportevent;
DROP FUNCTION IF EXISTS reports_reportevent_append_only();
"""
# SQLite: updates only. Deleting is refused by the ORM and by the PROTECT foreign keys; a trigger on
# DELETE would also stop the test runner's flush, which empties tables with DELETE.
SQLITE = f"""
CREATE TRIGGER reports_reportevent_append_only BEFORE UPDATE ON reports_reportevent
WHEN NOT ({_SAME.format(same="IS")})
BEGIN SELECT RAISE(ABORT, 'report events are append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS reports_reportevent_append_only;"


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_report_sensitive"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reportevent", name="content_digest",
            field=models.CharField(default="", editable=False, max_length=64), preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportevent", name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="reportevent", name="hash",
            field=models.CharField(default="", editable=False, max_length=64), preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportevent", name="redacted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="reportevent", name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="reportevent", name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="events", to="reports.report"
            ),
        ),
        migrations.AlterField(
            model_name="reportevent", name="actor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
