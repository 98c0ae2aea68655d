"""Core: organisations, teams, users and memberships, people, properties and tenancies."""
