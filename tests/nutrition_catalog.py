"""A handful of real SR28 foods (values per 100 g and portions from USDA) for nutrition tests."""

from meals.models import Food, FoodPortion
from meals.nutrition.allergens import food_tags, join_tags

FOODS = {
    # ndb: (name, category, kcal, protein, fat, carbs, sodium, portions [(amount, measure, grams)])
    "11282": ("Onions, raw", "Vegetables and Vegetable Products", 40, 1.1, 0.1, 9.34, 4,
              [(1, "cup, chopped", 160), (1, 'medium (2-1/2" dia)', 110), (1, "large", 150)]),
    "11286": ("Onions, yellow, sauteed", "Vegetables and Vegetable Products", 132, 0.95, 10.8, 7.92, 12, []),
    "01123": ("Egg, whole, raw, fresh", "Dairy and Egg Products", 143, 12.56, 9.51, 0.72, 142,
              [(1, "large", 50), (1, "medium", 44), (1, "cup (4.86 large eggs)", 243)]),
    "04053": ("Oil, olive, salad or cooking", "Fats and Oils", 884, 0, 100, 0, 2, [(1, "tbsp", 13.5), (1, "cup", 216)]),
    "09193": ("Olives, ripe, canned (small-extra large)", "Fruits and Fruit Juices", 115, 0.84, 10.68, 6.26, 735,
              [(1, "tbsp", 8.4), (1, "large", 4.4)]),
    "11215": ("Garlic, raw", "Vegetables and Vegetable Products", 149, 6.36, 0.5, 33.06, 17,
              [(1, "cup", 136), (1, "tsp", 2.8), (1, "clove", 3)]),
    "02047": ("Salt, table", "Spices and Herbs", 0, 0, 0, 0, 38758, [(1, "tsp", 6), (1, "dash", 0.4)]),
    "11531": ("Tomatoes, red, ripe, canned, packed in tomato juice", "Vegetables and Vegetable Products",
              16, 0.79, 0.25, 3.47, 115, [(1, "cup", 240)]),
    "11529": ("Tomatoes, red, ripe, raw, year round average", "Vegetables and Vegetable Products", 18, 0.88, 0.2,
              3.89, 5, [(1, "cup, chopped or sliced", 180), (1, 'medium whole (2-3/5" dia)', 123)]),
    "05062": ("Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw", "Poultry Products", 120, 22.5,
              2.62, 0, 45, [(1, "breast, bone and skin removed", 174)]),
    "20081": ("Wheat flour, white, all-purpose, enriched, bleached", "Cereal Grains and Pasta", 364, 10.33, 0.98,
              76.31, 2, [(1, "cup", 125)]),
    "11090": ("Broccoli, raw", "Vegetables and Vegetable Products", 34, 2.82, 0.37, 6.64, 33,
              [(1, "cup chopped", 91)]),
}


def make_catalog() -> dict[str, Food]:
    foods = {}
    for ndb, (name, category, kcal, protein, fat, carbs, sodium, portions) in FOODS.items():
        tags = food_tags(name, category, ndb)  # as import_usda stores them
        food = Food.objects.create(
            source="sr28", source_id=ndb, name=name, category=category, energy_kcal=kcal, protein_g=protein,
            fat_g=fat, carbohydrate_g=carbs, sodium_mg=sodium,
            allergen_slugs=join_tags(tags.allergens), diet_facts=join_tags(tags.facts),
        )
        FoodPortion.objects.bulk_create(
            FoodPortion(food=food, seq=seq, amount=amount, measure=measure, gram_weight=grams)
            for seq, (amount, measure, grams) in enumerate(portions, start=1)
        )
        foods[ndb] = food
    return foods
