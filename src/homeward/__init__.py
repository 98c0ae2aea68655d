"""Homeward: joins up health and housing."""
