"""Public recipe pages (a searchable list and a scalable detail page) and a person's own recipes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from meals import selectors, services
from meals.forms import OwnRecipeForm, RecipeFilterForm, ServingsForm
from meals.nutrition.nutrients import CORE_NUTRIENTS
from meals.parsing.scaling import scale_lines

RECIPES_PER_PAGE = 24


def _allergens_to_hide(request, wanted: bool) -> list:
    if not (wanted and request.user.is_authenticated):
        return []
    return list(request.user.profile.excluded_allergens.all()) if hasattr(request.user, "profile") else []


def recipe_list(request):
    form = RecipeFilterForm(request.GET or None)
    form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}  # the valid filters; a bad one is shown with its error
    recipes = [] if "q" in form.errors else selectors.search_recipes(
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
    recipe = selectors.recipe_for_detail(slug).first()
    if recipe is None:
        raise Http404("No such recipe.")
    return _recipe_page(request, recipe, nav="recipes")


def _recipe_page(request, recipe, *, nav: str):
    form = ServingsForm(request.GET)
    servings = (form.cleaned_data["servings"] if form.is_valid() else None) or recipe.servings
    nutrition = [
        (name, label, unit, getattr(recipe, name)) for name, label, unit in CORE_NUTRIENTS
    ]
    lines = list(recipe.ingredients.all())
    prefetch_related_objects(lines, "food__portions")  # a few grams are said in the food's spoons (one query)
    return render(
        request,
        "meals/recipe_detail.html",
        {
            "recipe": recipe,
            "servings": servings,
            "servings_form": form,
            "lines": scale_lines(lines, recipe_servings=recipe.servings, servings=float(servings)),
            "nutrition": nutrition,
            "nav": nav,
        },
    )


@login_required
def own_recipe_list(request):
    return render(request, "meals/own_recipe_list.html",
                  {"recipes": selectors.own_recipes(request.user), "nav": "own-recipes"})


@login_required
def own_recipe_detail(request, pk):
    return _recipe_page(request, selectors.own_recipe(request.user, pk, household=True), nav="own-recipes")


@login_required
@require_http_methods(["GET", "POST"])
def own_recipe_new(request):
    return _own_recipe_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def own_recipe_edit(request, pk):
    return _own_recipe_form(request, selectors.own_recipe(request.user, pk))


def _own_recipe_form(request, recipe):
    form = OwnRecipeForm(request.POST or None, request.FILES or None, instance=recipe)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.OWN_RECIPE_FIELDS}
        saved = services.save_own_recipe(owner=request.user, recipe=recipe, fields=fields,
                                         lines=form.cleaned_data["ingredients"], picture=form.cleaned_data["picture"])
        messages.success(request, f"“{saved.title}” saved: its nutrition and allergens were worked out from "
                                  f"the ingredients, and the planner can now choose it for you.")
        return redirect(saved.get_absolute_url())
    return render(request, "meals/own_recipe_form.html", {"form": form, "recipe": recipe, "nav": "own-recipes"})


@login_required
@require_GET
def own_recipe_picture(request, pk):
    """An own recipe's picture, to its owner's household only (404 to anybody else, like the recipe)."""
    recipe = selectors.own_recipe_picture(request.user, pk)
    if not recipe.picture:
        raise Http404("no picture")
    response = FileResponse(recipe.picture.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=604800"  # a new picture has a new address (picture_url)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def own_recipe_delete(request, pk):
    recipe = selectors.own_recipe(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_own_recipe(owner=request.user, recipe=recipe)
        except services.RecipeInUse as error:
            messages.error(request, str(error))
            return redirect(recipe.get_absolute_url())
        messages.success(request, f"“{recipe.title}” deleted.")
        return redirect("own-recipe-list")
    return render(request, "meals/own_recipe_confirm_delete.html", {"recipe": recipe, "nav": "own-recipes"})
