"""manage.py import_recipe URL_OR_FILE: create a draft recipe from a page with a schema.org Recipe."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meals.importers.recipe_page import RecipeImportError, fetch_html, read_recipe
from meals.services import create_recipe_from_draft


class Command(BaseCommand):
    help = "Import a recipe (JSON-LD or microdata schema.org Recipe) from a URL or a saved HTML file as a draft."

    def add_arguments(self, parser):
        parser.add_argument("source", help="http(s) URL or path of a saved HTML page")
        parser.add_argument("--source-url", default="", help="original address of a saved page")

    def handle(self, *args, source, source_url, **options):
        try:
            if source.startswith(("http://", "https://")):
                html, source_url = fetch_html(source), source_url or source
            else:
                html = self.read_file(Path(source))
            recipe = create_recipe_from_draft(read_recipe(html, source_url))
        except RecipeImportError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
        self.stdout.write(self.style.SUCCESS(
            f"Draft recipe #{recipe.pk} “{recipe.title}” ({recipe.slug}): {recipe.servings} servings"
            f"{' (uncertain: check them)' if recipe.servings_uncertain else ''}, "
            f"{recipe.energy_kcal:.0f} kcal/serving, coverage {recipe.nutrition_coverage:.0%}"
        ))
        for line in recipe.ingredients.all():
            if line.problem:
                self.stdout.write(f"  not counted: {line.original_text} — {line.problem}")
            elif line.food_id is None:
                self.stdout.write(f"  no food (allergens unknown): {line.original_text} — {line.note}")

    def read_file(self, path: Path) -> str:
        if not path.is_file():
            raise CommandError(f"{path}: no such file (give an http(s) URL or a saved HTML file)")
        return path.read_text(encoding="utf-8", errors="replace")
