"""Integrators: API clients of a unit of the tree, their client-credentials tokens and scopes."""
