"""School sport: associations, licences, teams, competitions and fixtures."""
