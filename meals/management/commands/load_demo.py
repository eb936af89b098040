"""`python manage.py load_demo`: load (or refresh) the demo catalog shipped in meals/demo/."""

from django.core.management.base import BaseCommand, CommandError

from meals.demo.loader import DemoDataError, load_demo_catalog


class Command(BaseCommand):
    help = "Load the demo USDA foods and starter recipes from meals/demo/ (idempotent, all-or-nothing)."

    def handle(self, *args, **options):
        try:
            stats = load_demo_catalog()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(stats))
