"""Simulating a year of holds under a policy: see docs/simulation.md."""
