"""Continuous training of staff."""
