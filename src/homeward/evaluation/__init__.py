"""Measured impact for analysts: matched comparison groups and difference-in-differences over
pseudonymised activity, on the `engines.evaluation` engine (docs/evaluation.md)."""
