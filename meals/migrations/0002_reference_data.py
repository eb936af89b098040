"""Diets and allergens every installation needs, so profile forms work before any import."""

from django.db import migrations

DIETS = [
    # slug, name, description, (protein, fat, carb) % of energy or None
    ("vegetarian", "Vegetarian", "No meat, poultry or fish.", None),
    ("vegan", "Vegan", "No animal products.", None),
    ("pescatarian", "Pescatarian", "No meat or poultry; fish is fine.", None),
    ("gluten-free", "Gluten-free", "No wheat, barley or rye.", None),
    ("keto", "Keto", "Very low carbohydrate, high fat.", (20, 75, 5)),
]

# The major food allergens (EU Regulation 1169/2011 Annex II, which covers the US "big nine").
ALLERGENS = [
    ("gluten", "Gluten"),
    ("crustaceans", "Crustaceans"),
    ("eggs", "Eggs"),
    ("fish", "Fish"),
    ("peanuts", "Peanuts"),
    ("soy", "Soy"),
    ("milk", "Milk"),
    ("tree-nuts", "Tree nuts"),
    ("celery", "Celery"),
    ("mustard", "Mustard"),
    ("sesame", "Sesame"),
    ("sulphites", "Sulphites"),
    ("lupin", "Lupin"),
    ("molluscs", "Molluscs"),
]


def create(apps, schema_editor):
    Diet = apps.get_model("meals", "Diet")
    Allergen = apps.get_model("meals", "Allergen")
    for slug, name, description, split in DIETS:
        protein, fat, carb = split or (None, None, None)
        Diet.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description,
                      "protein_pct": protein, "fat_pct": fat, "carb_pct": carb},
        )
    for slug, name in ALLERGENS:
        Allergen.objects.update_or_create(slug=slug, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("meals", "Diet").objects.filter(slug__in=[d[0] for d in DIETS]).delete()
    apps.get_model("meals", "Allergen").objects.filter(slug__in=[a[0] for a in ALLERGENS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meals", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
