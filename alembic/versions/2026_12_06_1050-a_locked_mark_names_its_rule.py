"""a locked mark names its rule

The trigger that refuses a mark written past its test's draft now names itself as the
constraint of its error, so that the service can answer the client "marks locked" rather than
a bare conflict when a write loses the race with a submission or a validation.

Revision ID: 4d1e2f3a5b07
Revises: 4d1e2f3a5b06
Create Date: 2026-12-06 11:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4d1e2f3a5b07"
down_revision: str | None = "4d1e2f3a5b06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The trigger function of revision 4d1e2f3a5b05, with its refusal's options in REFUSAL.
MARKS_FOLLOW_THEIR_TEST = r"""
CREATE OR REPLACE FUNCTION marks_follow_their_test() RETURNS trigger LANGUAGE plpgsql AS $$
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
        USING REFUSAL;
END
$$
"""


def _marks_follow_their_test(refusal: str) -> str:
    return MARKS_FOLLOW_THEIR_TEST.replace("REFUSAL", refusal)


def upgrade() -> None:
    op.execute(
        _marks_follow_their_test(
            "ERRCODE = 'check_violation', CONSTRAINT = 'marks_follow_their_test'"
        )
    )


def downgrade() -> None:
    op.execute(_marks_follow_their_test("ERRCODE = 'check_violation'"))
