"""Webhooks for integrators: API clients' endpoints, the events they subscribe to, and their
signed delivery through an outbox the worker drains."""
