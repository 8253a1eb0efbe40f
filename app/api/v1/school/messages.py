"""Messages from parents to a member of the school's staff."""

from app.api.v1.staff_messages import staff_messages

router = staff_messages("school")
