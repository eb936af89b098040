from django.db import migrations, models

from meals.families import family_id, main_protein_of_lines


def derive(apps, schema_editor):
    """Main protein and dish family of the recipes already stored (new ones get them on save)."""
    Recipe = apps.get_model("meals", "Recipe")
    recipes = list(Recipe.objects.prefetch_related("ingredients__food"))
    for recipe in recipes:
        recipe.main_protein = main_protein_of_lines(recipe.ingredients.all())
        recipe.dish_family = family_id(recipe.title, recipe.main_protein)
    Recipe.objects.bulk_update(recipes, ["main_protein", "dish_family"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("meals", "0009_recipe_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipe",
            name="dish_family",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="recipe",
            name="main_protein",
            field=models.CharField(blank=True, default="none", editable=False, max_length=20),
        ),
        migrations.RunPython(derive, migrations.RunPython.noop),
    ]
