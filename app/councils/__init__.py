"""The year's end: class councils and their decisions, the rollover into next year, and
orientation (pupils' wishes, the orientation council, re-orientation in September)."""
