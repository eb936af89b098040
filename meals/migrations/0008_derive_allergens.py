"""Derive every food's allergens and diet facts, then every recipe's, from the rule table.

Hand-set recipe allergens the ingredients do not show are kept as "added by hand"
(never dropped silently); hand-set diets are replaced by the derived ones. Every
disagreement is printed, so staff can review it.
"""

from django.db import migrations

from meals.nutrition.allergens import food_tags, food_tags_of, join_tags, recipe_tags

NUTRIENTS = ("energy_kcal", "carbohydrate_g", "fiber_g")


def derive_foods(Food) -> None:
    foods = list(Food.objects.only("id", "source", "source_id", "name", "category"))
    for food in foods:
        tags = food_tags(food.name, food.category, food.source_id if food.source == "sr28" else "")
        food.allergen_slugs, food.diet_facts = join_tags(tags.allergens), join_tags(tags.facts)
    Food.objects.bulk_update(foods, ["allergen_slugs", "diet_facts"], batch_size=2000)


def derive_recipes(apps, report) -> None:
    Recipe, Allergen, Diet = (apps.get_model("meals", name) for name in ("Recipe", "Allergen", "Diet"))
    allergens, diets = {a.slug: a for a in Allergen.objects.all()}, {d.slug: d for d in Diet.objects.all()}
    for recipe in Recipe.objects.prefetch_related("ingredients__food", "allergens", "diets").order_by("slug"):
        lines = [food_tags_of(line.food) for line in recipe.ingredients.all()]
        hand_allergens = {a.slug for a in recipe.allergens.all()}
        hand_diets = {d.slug for d in recipe.diets.all()}
        per_serving = {name: getattr(recipe, name) for name in NUTRIENTS}
        derived = recipe_tags(lines, per_serving=per_serving, coverage=recipe.nutrition_coverage)
        kept = hand_allergens - derived.allergens
        tags = recipe_tags(lines, added_allergens=kept, per_serving=per_serving, coverage=recipe.nutrition_coverage)
        recipe.allergens_unknown, recipe.diet_facts = tags.allergens_unknown, join_tags(tags.facts)
        recipe.save(update_fields=["allergens_unknown", "diet_facts"])
        recipe.added_allergens.set([allergens[slug] for slug in kept if slug in allergens])
        recipe.allergens.set([allergens[slug] for slug in tags.allergens if slug in allergens])
        recipe.diets.set([diets[slug] for slug in tags.diets if slug in diets])
        notes = [f"{label} {', '.join(sorted(slugs))}" for label, slugs in (
            ("allergens kept by hand (not in the ingredients):", kept),
            ("allergens newly derived:", derived.allergens - hand_allergens),
            ("diets dropped:", hand_diets - tags.diets),
            ("diets newly derived:", tags.diets - hand_diets),
        ) if slugs]
        if tags.allergens_unknown:
            notes.append("allergens unknown (a line has no food)")
        if notes:
            report(f"  {recipe.slug}: " + "; ".join(notes))


def forwards(apps, schema_editor):
    apps.get_model("meals", "Diet").objects.update_or_create(
        slug="dairy-free", defaults={"name": "Dairy-free", "description": "No milk or milk products."})
    derive_foods(apps.get_model("meals", "Food"))
    lines = []
    derive_recipes(apps, lines.append)
    if lines:
        print("\nRecipes whose hand-set allergens or diets differ from their ingredients':", *lines, sep="\n")


def backwards(apps, schema_editor):
    apps.get_model("meals", "Diet").objects.filter(slug="dairy-free").delete()


class Migration(migrations.Migration):
    dependencies = [("meals", "0007_food_and_recipe_allergens")]
    operations = [migrations.RunPython(forwards, backwards)]
