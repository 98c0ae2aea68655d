"""Pure engines: no Django imports."""
