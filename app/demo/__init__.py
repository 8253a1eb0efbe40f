"""The demo world loaded by `make run`: a small slice of the Rabat-Salé-Kénitra academy."""
