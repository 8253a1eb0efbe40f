"""School websites: edited by the school, read by the public, followed by steering."""
