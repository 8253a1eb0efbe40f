"""Didactic equipment: catalogue, inventories, requests and shortages."""
