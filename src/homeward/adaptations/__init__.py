"""Adaptations: one case from first contact to finished, paid works (DFG delivery stages 0–4)."""
