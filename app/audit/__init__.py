"""The audit trail: written by database triggers, read through the caller's scope."""
