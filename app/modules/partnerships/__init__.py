"""Partners and partnership agreements."""
