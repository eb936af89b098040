from django.shortcuts import get_object_or_404, render

from meals.models import Recipe


def recipe_detail(request, slug):
    recipe = get_object_or_404(Recipe.objects.published(), slug=slug)
    return render(request, "meals/recipe_detail.html", {"recipe": recipe})
