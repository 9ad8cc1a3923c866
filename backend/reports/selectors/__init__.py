"""Reads, each scoped to what the asking user may see."""
