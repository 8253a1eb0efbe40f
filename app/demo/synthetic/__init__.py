"""A synthetic national-shaped database for benchmarks and load tests (`massar seed-synthetic`)."""
