"""Sahel Atlas: an interactive map of the conflict in the Sahel."""
