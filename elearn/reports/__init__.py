"""Reports for leaders: scope in the unit tree, learning records, the unit dashboard. Aggregate SQL only."""
