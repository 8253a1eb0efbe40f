"""The tree of the school system: academies, directorates and schools, and the scopes over it."""
