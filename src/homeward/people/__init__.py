"""People: finding and reading a person's record, registering and changing it, the timeline, and staff."""
