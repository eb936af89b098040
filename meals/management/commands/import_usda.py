"""manage.py import_usda PATH: load USDA food-composition CSVs (SR28 or FoodData Central layout)."""

from django.core.management.base import BaseCommand, CommandError

from meals.importers.usda import UsdaImportError, import_usda


class Command(BaseCommand):
    help = (
        "Import USDA foods, nutrients and portions from a folder in the SR28 compact layout "
        "(foods.csv …) or the FoodData Central CSV download layout (food.csv …). "
        "Idempotent; all-or-nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder holding the CSV files")
        parser.add_argument("--only", nargs="+", metavar="ID", help="import only these NDB numbers / fdc_ids")

    def handle(self, *args, path, only, **options):
        try:
            stats = import_usda(path, only_ids=set(only) if only else None, progress=True)
        except UsdaImportError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
        self.stdout.write(self.style.SUCCESS(str(stats)))
