"""The casework pattern shared by discharge, referrals, adaptations and reablement.

A case type declares its statuses and allowed transitions as data (`StateMachine`); `apply_transition`
is the one function that moves a case, stamps the KPI timestamp for the new status, and writes the
timeline event and the audit event.
"""
