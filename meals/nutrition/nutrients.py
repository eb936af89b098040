"""Names of the nutrients the app stores, shared by models, imports and pure math."""

# Nutrient columns stored per 100 g on Food and per serving on Recipe.
# (field name, label, unit). Kept in one place so import, computation and
# display agree on names.
CORE_NUTRIENTS = (
    ("energy_kcal", "Energy", "kcal"),
    ("protein_g", "Protein", "g"),
    ("fat_g", "Fat", "g"),
    ("saturated_fat_g", "Saturated fat", "g"),
    ("carbohydrate_g", "Carbohydrate", "g"),
    ("fiber_g", "Fiber", "g"),
    ("sugars_g", "Sugars", "g"),
    ("sodium_mg", "Sodium", "mg"),
)
CORE_NUTRIENT_FIELDS = tuple(name for name, _, _ in CORE_NUTRIENTS)
