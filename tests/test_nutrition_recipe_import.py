"""Recipe import from saved pages (JSON-LD, microdata), the command, the admin page and fetch limits."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meals.importers.recipe_page import RecipeImportError, fetch_html, read_recipe
from meals.models import Recipe
from meals.services import create_recipe_from_draft
from tests.nutrition_catalog import make_catalog

PAGES = Path(__file__).parent / "data" / "html"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture
def catalog(db):
    return make_catalog()


def test_json_ld_recipe_is_read_with_all_fields():
    draft = read_recipe(page("jsonld_tomato_soup.html"), "https://kitchen.example/tomato-soup")
    assert draft.title == "Simple Tomato Soup"
    assert (draft.servings, draft.prep_minutes, draft.cook_minutes) == (4, 10, 30)
    assert draft.image_url == "https://kitchen.example/img/tomato-soup.jpg"
    assert draft.instructions.splitlines()[0] == "Warm the oil and soften the onion for 8 minutes."
    assert draft.ingredient_lines[3] == "2 (14.5 oz) cans diced tomatoes"


def test_microdata_recipe_is_read():
    draft = read_recipe(page("microdata_omelette.html"))
    assert (draft.title, draft.servings, draft.prep_minutes, draft.cook_minutes) == ("Onion Omelette", 1, 5, 7)
    assert draft.ingredient_lines == ["3 large eggs", "1/2 cup chopped onion", "1 tbsp olive oil", "1 pinch salt"]


def test_import_creates_an_unpublished_draft_with_resolved_lines_and_nutrition(catalog):
    recipe = create_recipe_from_draft(read_recipe(page("jsonld_tomato_soup.html"), "https://kitchen.example/soup"))

    assert not recipe.is_published
    assert (recipe.slug, recipe.servings, recipe.source_url) == ("simple-tomato-soup", 4, "https://kitchen.example/soup")
    lines = list(recipe.ingredients.order_by("order"))
    assert [line.food.source_id if line.food else None for line in lines] == [
        "04053", "11282", "11215", "11531", "02047", None
    ]
    assert lines[3].grams == pytest.approx(2 * 14.5 * 28.3495, abs=0.1)
    assert (lines[5].grams, lines[5].problem) == (0, ""), "to taste: counted as 0 g even without a food"
    assert recipe.nutrition_coverage == 1
    assert recipe.allergens_unknown
    expected_kcal = (27 * 8.84 + 110 * 0.40 + 9 * 1.49 + 822.2 * 0.16) / 4
    assert recipe.energy_kcal == pytest.approx(expected_kcal, abs=0.5)

    again = create_recipe_from_draft(read_recipe(page("jsonld_tomato_soup.html")))
    assert again.slug == "simple-tomato-soup-2"


def test_page_without_recipe_is_refused():
    with pytest.raises(RecipeImportError, match=r"no schema.org Recipe \(JSON-LD or microdata\) found"):
        read_recipe(page("no_recipe.html"))


def test_a_bad_ingredient_line_does_not_stop_the_import(catalog):
    recipe = create_recipe_from_draft(read_recipe(page("jsonld_negative_quantity.html")))

    bad = recipe.ingredients.get(original_text="-2 cups water")
    assert bad.problem == "negative quantity in '-2 cups water'"
    assert recipe.ingredients.count() > 1


def test_command_imports_a_saved_page_and_reports_unresolved_lines(catalog, capsys):
    call_command("import_recipe", str(PAGES / "jsonld_tomato_soup.html"), source_url="https://kitchen.example/soup")
    out = capsys.readouterr().out
    assert "Draft recipe" in out and "“Simple Tomato Soup”" in out and "coverage 100%" in out
    assert "no food (allergens unknown): unicorn dust to taste — to taste, to taste: counted as 0 g" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_recipe.html", "no schema.org Recipe"),
        ("missing.html", "no such file"),
    ],
)
def test_command_errors_are_clear(catalog, name, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_recipe", str(PAGES / name))
    assert not Recipe.objects.exists()


class PageServer(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server naming
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        body = b"x" * 3_000_000 if self.path == "/big" else page("microdata_omelette.html").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first: that is what the limits are for

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site(settings):
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]  # a loopback server is refused otherwise
    server = ThreadingHTTPServer(("127.0.0.1", 0), PageServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_reads_a_page(local_site):
    assert read_recipe(fetch_html(f"{local_site}/omelette")).title == "Onion Omelette"


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/big", {}, "is larger than 2 MB"),
        ("/slow", {"timeout": 0.3}, "did not answer within 0.3 s"),
        ("/missing", {}, "answered HTTP 404"),
    ],
)
def test_fetch_limits_give_clear_errors(local_site, path, kwargs, message):
    with pytest.raises(RecipeImportError, match=message):
        fetch_html(f"{local_site}{path}", **kwargs)


def test_fetch_refuses_other_schemes():
    with pytest.raises(RecipeImportError, match="not an http"):
        fetch_html("file:///etc/passwd")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_import_page_creates_draft_from_pasted_html(catalog, staff_client):
    url = reverse("admin:meals_recipe_import")
    assert "Import recipe" in staff_client.get(reverse("admin:meals_recipe_changelist")).content.decode()
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(url, {"html": page("microdata_omelette.html"), "source_url": ""})

    recipe = Recipe.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:meals_recipe_change", args=[recipe.pk])
    assert recipe.nutrition_coverage == 1
    assert recipe.energy_kcal == pytest.approx(150 * 1.43 + 80 * 0.40 + 13.5 * 8.84, abs=0.5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"html": "<html><body>nothing</body></html>"}, "no schema.org Recipe"),
        ({}, "Give either a page address or the page&#x27;s HTML."),
        ({"url": "not a url"}, "Enter a valid URL."),
    ],
)
def test_admin_import_errors_are_shown_not_500(catalog, staff_client, data, message):
    response = staff_client.post(reverse("admin:meals_recipe_import"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Recipe.objects.exists()


def test_admin_import_page_needs_staff(client):
    response = client.get(reverse("admin:meals_recipe_import"))
    assert response.status_code == 302 and "/login/" in response.url
