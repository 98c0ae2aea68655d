"""Person linkage inside the governed workspace: runs under agreements, the review queue, stable
identities and tenant-in-hospital alerts. The matching is the engine `homeward.engines.linkage`."""
