"""Recipe pictures on cards, recipe pages and meal cards; the CSP allows exactly their hosts; source shown."""

import pytest
from django.urls import reverse

from tests.web_factories import make_plan, make_user, small_catalog

PICTURE = "https://publicdomainrecipes.com/pix/onion-soup.webp"


@pytest.fixture
def catalog(db):
    recipes = small_catalog()
    recipes["onion-soup"].image_url = PICTURE
    recipes["onion-soup"].save()
    return recipes


def lazy_image(url: str, width: int, height: int) -> str:
    return f'<img src="{url}" alt="" width="{width}" height="{height}" loading="lazy"'


def test_recipe_cards_show_the_picture_or_a_placeholder(client, catalog):
    page = client.get(reverse("recipe-list")).content.decode()
    cards = page.split('<li class="card">')[1:]
    soup, porridge = (next(card for card in cards if f">{title}</a>" in card) for title in ("Onion soup", "Porridge"))
    assert lazy_image(PICTURE, 400, 300) in soup
    assert "recipe-picture-none" in porridge and "<img" not in porridge


def test_recipe_page_shows_picture_source_attribution_and_license(client, catalog):
    recipe = catalog["onion-soup"]
    recipe.source_url = "https://publicdomainrecipes.com/onion-soup/"
    recipe.attribution = "publicdomainrecipes.com, contributed by Ronald L"
    recipe.license = "Public domain (Unlicense)"
    recipe.save()
    page = client.get(recipe.get_absolute_url()).content.decode()
    assert lazy_image(PICTURE, 800, 600) in page
    assert '<a href="https://publicdomainrecipes.com/onion-soup/" rel="noopener noreferrer">' in page
    assert "contributed by Ronald L" in page and "Public domain (Unlicense)" in page


def test_a_picture_on_a_host_the_csp_does_not_allow_is_not_shown(client, catalog):
    recipe = catalog["onion-soup"]
    recipe.image_url = "https://tracker.example.com/soup.jpg"
    recipe.save()
    page = client.get(recipe.get_absolute_url()).content.decode()
    assert "tracker.example.com" not in page and "recipe-picture-none" in page


def test_csp_img_src_is_the_site_and_exactly_the_picture_hosts(client, db):
    policy = client.get(reverse("recipe-list"))["Content-Security-Policy"]
    img_src = next(part.split()[1:] for part in policy.split(";") if part.split() and part.split()[0] == "img-src")
    assert img_src == ["'self'", "data:", "https://publicdomainrecipes.com"]


def test_meal_cards_show_thumbnails(client, catalog):
    owner = make_user("paula")
    plan = make_plan(owner, catalog, days=1)
    client.force_login(owner)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert lazy_image(PICTURE, 96, 72) in page
    assert page.count("recipe-picture-thumb") == plan.meals.count()
