"""The teacher app's offline queue, replayed once."""
