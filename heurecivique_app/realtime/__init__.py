"""Turns committed domain events into pushes to the browsers watching the boards they change."""
