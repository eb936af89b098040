"""Public recipe pages: a searchable list and a scalable detail page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from meals.forms import RecipeFilterForm, ServingsForm
from meals.nutrients import CORE_NUTRIENTS
from meals.scaling import scale_lines
from meals.selectors import recipe_for_detail, search_recipes

RECIPES_PER_PAGE = 24


def _allergens_to_hide(request, wanted: bool) -> list:
    if not (wanted and request.user.is_authenticated):
        return []
    return list(request.user.profile.excluded_allergens.all()) if hasattr(request.user, "profile") else []


def recipe_list(request):
    form = RecipeFilterForm(request.GET or None)
    form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}  # the valid filters; a bad one is shown with its error
    recipes = [] if "q" in form.errors else search_recipes(
        query=filters.get("q", ""),
        meal_type=filters.get("meal_type", ""),
        diet=filters.get("diet"),
        max_minutes=filters.get("max_minutes"),
        exclude_allergens=_allergens_to_hide(request, filters.get("hide_allergens", False)),
    )
    page = Paginator(recipes, RECIPES_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "meals/recipe_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page.urlencode(),
            "nav": "recipes",
        },
    )


def recipe_detail(request, slug):
    recipe = recipe_for_detail(slug).first()
    if recipe is None:
        raise Http404("No such recipe.")
    form = ServingsForm(request.GET)
    servings = (form.cleaned_data["servings"] if form.is_valid() else None) or recipe.servings
    nutrition = [
        (name, label, unit, getattr(recipe, name)) for name, label, unit in CORE_NUTRIENTS
    ]
    return render(
        request,
        "meals/recipe_detail.html",
        {
            "recipe": recipe,
            "servings": servings,
            "servings_form": form,
            "lines": scale_lines(recipe.ingredients.all(), recipe_servings=recipe.servings, servings=float(servings)),
            "nutrition": nutrition,
            "nav": "recipes",
        },
    )
