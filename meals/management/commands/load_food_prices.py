"""manage.py load_food_prices: fill in each food's price per kg from its USDA food group (meals/groceries/costs.py)."""

from django.core.management.base import BaseCommand

from meals.services import fill_default_food_prices


class Command(BaseCommand):
    help = "Give foods without a price their food group's typical price per kg (prices staff set are kept)."

    def handle(self, *args, **options):
        self.stdout.write(f"Prices filled in for {fill_default_food_prices()} foods.")
