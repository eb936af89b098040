"""Importers that bring external data into the catalog: USDA food composition (usda, read by
usda_layouts and csvfiles), a JSON-Lines recipe catalog (catalog) and a recipe web page (recipe_page)."""
