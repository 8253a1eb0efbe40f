"""Messages from the parents of the teacher's pupils."""

from app.api.v1.staff_messages import staff_messages

router = staff_messages("teacher")
