from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def derive(apps, schema_editor):
    """Mass of one serving of the recipes already stored: their resolved lines' grams / servings
    (new and edited ones get it with their nutrition)."""
    Recipe = apps.get_model("meals", "Recipe")
    RecipeIngredient = apps.get_model("meals", "RecipeIngredient")
    grams = (RecipeIngredient.objects.filter(recipe=OuterRef("pk"), grams__isnull=False)
             .values("recipe").annotate(total=Sum("grams")).values("total"))
    Recipe.objects.update(grams_per_serving=Coalesce(Subquery(grams), 0.0) / models.F("servings"))


class Migration(migrations.Migration):

    dependencies = [
        ("meals", "0010_recipe_main_protein_and_dish_family"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipe",
            name="grams_per_serving",
            field=models.FloatField(default=0, editable=False),
        ),
        migrations.RunPython(derive, migrations.RunPython.noop),
    ]
