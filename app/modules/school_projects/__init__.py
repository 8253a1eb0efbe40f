"""The integrated school project (PEI)."""
