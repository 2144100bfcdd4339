"""Two indexes for the manager's "awaiting sign-off" queue (rjcases.selectors.awaiting_sign_off), which reads each
party's newest assessment (``latest_assessments``) of the high-risk ones not yet signed off.

- ``rjcases_assessment_latest``: (party, assessed_on DESC, id DESC), so "the newest assessment of this party" is one
  step down an index instead of sorting the party's assessments.
- ``rjcases_assessment_unsigned_high``: the high-risk assessments with no sign-off (a few hundred in 100,000 cases),
  so the queue starts from them instead of from every party of every open case.

Measured on 100,000 seeded cases (bench/README.md, "Load"): the queue's query went from about 1,000 ms to 50 ms.
Plain SQL (PostgreSQL and SQLite both take it), so the models and their migrations state stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rjcases", "0006_safe_contact_and_stopped_taking_part")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX rjcases_assessment_latest ON rjcases_assessment (party_id, assessed_on DESC, id DESC)",
            "DROP INDEX rjcases_assessment_latest",
        ),
        migrations.RunSQL(
            "CREATE INDEX rjcases_assessment_unsigned_high ON rjcases_assessment (party_id) "
            "WHERE risk_level = 'high' AND signed_off_at IS NULL",
            "DROP INDEX rjcases_assessment_unsigned_high",
        ),
    ]
