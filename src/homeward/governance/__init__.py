"""Governance: data-sharing agreements, consent, the access layer and the audit trail."""
