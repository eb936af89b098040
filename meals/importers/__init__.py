"""Importers that bring external food-composition data into the catalog."""
