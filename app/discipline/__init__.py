"""Discipline: incidents at school, the pupils involved, and the graded sanctions decided."""
