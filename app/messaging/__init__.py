"""Announcements, parent-school messages, the inbox, push devices and the push outbox."""
