"""Diagnostic tests and remedial support."""
