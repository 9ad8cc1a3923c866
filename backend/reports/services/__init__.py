"""Writes: one service per action; each checks, writes in one short transaction and publishes on commit."""
