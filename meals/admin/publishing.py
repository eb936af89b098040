"""Admin pieces for publishing safely: confirmation of risky publishes and the changelist filters.

A recipe below 0.9 coverage or with unknown allergens is published only after staff
confirm on a page that says why (`meals.selectors.publish_warnings`).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from meals.models import Recipe
from meals.selectors import PUBLISH_MIN_COVERAGE, publish_warnings
from meals.services import set_published

CONFIRM_TEMPLATE = "admin/meals/recipe/publish_confirmation.html"


class CoverageFilter(admin.SimpleListFilter):
    title = "nutrition coverage"
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return [("low", f"below {PUBLISH_MIN_COVERAGE:.0%}"), ("ok", f"{PUBLISH_MIN_COVERAGE:.0%} or more")]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.filter(nutrition_coverage__lt=PUBLISH_MIN_COVERAGE)
        if self.value() == "ok":
            return queryset.filter(nutrition_coverage__gte=PUBLISH_MIN_COVERAGE)
        return queryset


def risky(recipes) -> list[tuple[Recipe, list[str]]]:
    return [(recipe, warnings) for recipe in recipes if (warnings := publish_warnings(recipe))]


def confirmation_page(model_admin, request, flagged, *, selected=()):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Publish despite warnings?",
        "opts": model_admin.model._meta,
        "flagged": flagged,
        "selected": selected,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


def publish_action(model_admin, request, queryset):
    """The changelist action: publishes at once unless some recipe needs confirming."""
    recipes = list(queryset.prefetch_related("ingredients"))
    flagged = risky(recipes)
    if flagged and request.POST.get("confirm") != "yes":
        return confirmation_page(model_admin, request, flagged, selected=[recipe.pk for recipe in recipes])
    model_admin._report(request, set_published(recipes=recipes, published=True), "published")
    return None


def hold_unconfirmed_publish(model_admin, request, form) -> None:
    """After a change-form save that newly ticked Published: keep a risky recipe a draft and say why."""
    recipe = form.instance
    if not recipe.is_published or form.initial.get("is_published"):
        return
    warnings = publish_warnings(recipe)
    if not warnings:
        return
    set_published(recipes=[recipe], published=False)
    recipe.is_published = False
    url = reverse("admin:meals_recipe_publish", args=[recipe.pk])
    model_admin.message_user(request, format_html(
        "“{}” was saved as an unpublished draft: {}. <a href=\"{}\">Publish it anyway…</a>",
        recipe.title, "; ".join(warnings), url), messages.WARNING)


def publish_one_view(model_admin, request, object_id):
    """GET: the warnings and a button; POST: publish."""
    recipe = get_object_or_404(Recipe.objects.prefetch_related("ingredients"), pk=object_id)
    if not model_admin.has_change_permission(request, recipe):
        raise PermissionDenied
    if request.method == "POST":
        set_published(recipes=[recipe], published=True)
        model_admin.message_user(request, f"“{recipe.title}” published.", messages.SUCCESS)
        return redirect(reverse("admin:meals_recipe_change", args=[recipe.pk]))
    return confirmation_page(model_admin, request, [(recipe, publish_warnings(recipe))])
