"""What to buy for a line whose food only stands in for the one it names (RecipeIngredient.shop_as).

The lines imported before are given it here, by the rule an import now applies (meals.nutrition.matching.
stand_in_name), so that a deploy that only migrates lists a recipe's quark as "Quark", not "Cottage cheese".
The project's matching and parsing code is imported only when there are lines to name, so a new database (every
CI run, every newcomer) migrates without loading it.
"""

from django.db import migrations, models


def food_name(text: str) -> str:
    """The food name of a line as the import chose its food: the first alternative of its parsed name (the whole
    text for a line the parser refuses)."""
    from meals.nutrition.matching import ALTERNATIVE
    from meals.parsing.ingredients import IngredientLineError, parse_line

    try:
        name = parse_line(text).name or text
    except IngredientLineError:
        name = text
    return ALTERNATIVE.split(name)[0]


def name_stand_ins(apps, schema_editor):
    Food = apps.get_model("meals", "Food")
    RecipeIngredient = apps.get_model("meals", "RecipeIngredient")
    if not RecipeIngredient.objects.exclude(original_text="").exclude(food=None).exists():
        return
    from meals.nutrition.matching import stand_in_name, stand_ins

    ndbs = {ndb for ndb, _ in stand_ins().values()}
    by_source_id = dict(Food.objects.filter(source="sr28", source_id__in=ndbs).values_list("source_id", "id"))
    lines = (RecipeIngredient.objects.filter(food_id__in=by_source_id.values()).exclude(original_text="")
             .only("id", "food_id", "original_text"))
    changed = []
    for line in lines.iterator(chunk_size=2000):
        line.shop_as = stand_in_name(food_name(line.original_text), line.food_id, by_source_id)
        if line.shop_as:
            changed.append(line)
    RecipeIngredient.objects.bulk_update(changed, ["shop_as"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("meals", "0012_recipe_picture"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipeingredient",
            name="shop_as",
            field=models.CharField(
                blank=True, max_length=100,
                help_text='What to buy when the food only stands in for the one named (USDA has no quark: "Quark").'),
        ),
        migrations.RunPython(name_stand_ins, migrations.RunPython.noop),
    ]
