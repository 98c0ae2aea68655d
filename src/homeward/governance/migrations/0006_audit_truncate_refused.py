"""On PostgreSQL, TRUNCATE of either audit table is refused too (row triggers do not fire on TRUNCATE), and
the chain head row cannot be deleted. An owner of the tables can still disable triggers: run Homeward as a
role that owns neither table (docs/deploy.md); the keyed chain and signed checkpoints catch the rest."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION governance_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit tables cannot be truncated (% is append-only)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION governance_audit_head_kept() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit chain head cannot be deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER governance_auditevent_no_truncate
  BEFORE TRUNCATE ON governance_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION governance_audit_no_truncate();
CREATE TRIGGER governance_auditchainhead_no_truncate
  BEFORE TRUNCATE ON governance_auditchainhead
  FOR EACH STATEMENT EXECUTE FUNCTION governance_audit_no_truncate();
CREATE TRIGGER governance_auditchainhead_kept
  BEFORE DELETE ON governance_auditchainhead
  FOR EACH ROW EXECUTE FUNCTION governance_audit_head_kept();
"""
DROP = """
DROP TRIGGER IF EXISTS governance_auditevent_no_truncate ON governance_auditevent;
DROP TRIGGER IF EXISTS governance_auditchainhead_no_truncate ON governance_auditchainhead;
DROP TRIGGER IF EXISTS governance_auditchainhead_kept ON governance_auditchainhead;
DROP FUNCTION IF EXISTS governance_audit_no_truncate();
DROP FUNCTION IF EXISTS governance_audit_head_kept();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_worklist_indexes")]
    operations = [migrations.RunPython(create, drop)]
