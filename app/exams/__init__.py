"""Exam sessions and their results."""
