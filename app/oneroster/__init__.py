"""OneRoster 1.2, read-only: Massar's tree, rosters and published marks at the standard's
paths and in its shapes, for API clients."""
