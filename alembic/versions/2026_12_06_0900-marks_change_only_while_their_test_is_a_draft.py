"""marks change only while their test is a draft

The services checked a test's status before writing its marks, without a lock, so a PUT, a
grade-sheet import or a replayed sync running while the director validated could rewrite
validated marks with no correction recorded. The database now refuses it: a mark is written
only while its test is a draft, the test's row is locked for the write (so a validation waits
for it, or comes first and wins), and a validated or published mark changes only inside an
audited correction, which names the mark it corrects.

Revision ID: 4d1e2f3a5b05
Revises: 4d1e2f3a5b04
Create Date: 2026-12-06 09:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4d1e2f3a5b05"
down_revision: str | None = "4d1e2f3a5b04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKS_FOLLOW_THEIR_TEST = r"""
CREATE FUNCTION marks_follow_their_test() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject marks;
    test_status text;
BEGIN
    IF TG_OP = 'DELETE' THEN subject := OLD; ELSE subject := NEW; END IF;
    -- FOR SHARE: a validation of this test waits for this write, or this write sees it.
    SELECT status INTO test_status FROM class_tests WHERE id = subject.test_id FOR SHARE;
    -- No test left: the test itself is being deleted, and its marks with it.
    IF test_status IS NULL OR test_status = 'draft' THEN
        RETURN subject;
    END IF;
    IF TG_OP = 'UPDATE'
       AND current_setting('massar.mark_correction', true) = OLD.id::text THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the marks of test % are locked (%)', subject.test_id, test_status
        USING ERRCODE = 'check_violation';
END
$$
"""


def upgrade() -> None:
    op.execute(MARKS_FOLLOW_THEIR_TEST)
    op.execute(
        "CREATE TRIGGER marks_follow_their_test BEFORE INSERT OR UPDATE OR DELETE ON marks"
        " FOR EACH ROW EXECUTE FUNCTION marks_follow_their_test()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER marks_follow_their_test ON marks")
    op.execute("DROP FUNCTION marks_follow_their_test()")
