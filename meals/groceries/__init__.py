"""Foods as a shop sells them (pure): prices and what a recipe costs (costs), and a shopper's
names, aisles and counts (shopper)."""
