"""Roll calls, absences across a school, and parents' justifications."""
