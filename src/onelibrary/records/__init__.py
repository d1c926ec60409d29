"""Whole patron records across every part: export, erasure, merge (docs/patrons.md)."""
