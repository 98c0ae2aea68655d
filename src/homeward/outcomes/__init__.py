"""Outcomes: what-if simulation of discharge flow, and (to come) KPIs and business cases."""
