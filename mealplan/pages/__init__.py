"""What the person-facing pages are built from besides the views: the plan page's days and
totals (plan_grid) and whole pages kept in the worker's memory (cache)."""
