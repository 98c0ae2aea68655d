"""Prevention: frontline concerns, housing-system events, tenancy-trigger alerts that explain why."""
