"""Tests and marks: entry, the director's validation and publication, the grade sheet, averages and
report cards.
"""
