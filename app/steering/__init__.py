"""Steering figures of directorates, academies and the ministry."""
