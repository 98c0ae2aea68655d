"""Supported housing: schemes, units, stays as intervals, key work and planned move-on."""
