"""The database: declarative base, engine and sessions, the embedded server, the audit context."""
