"""Admin for the catalog: the staff's main tool for foods and recipes.

This module registers the ModelAdmins; its pieces: bounds (submitted ids that are not ids), nutrition
(the "Import recipe" page, the ingredient-line form), publishing (confirmed publishes, filters)."""

from django.contrib import admin, messages
from django.db import models
from django.urls import path
from django.utils.translation import ngettext

from meals.admin.bounds import BoundedInputAdmin
from meals.nutrition.allergens import ALLERGENS
from meals.admin.nutrition import RecipeIngredientForm, import_recipe_view
from meals.admin.publishing import CoverageFilter, hold_unconfirmed_publish, publish_action, publish_one_view
from meals.models import Allergen, Diet, Food, FoodPortion, Recipe, RecipeIngredient, Tag
from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS
from meals.services import recompute_recipe_nutrition, recompute_recipes_using, set_published


class NamedSlugAdmin(BoundedInputAdmin, admin.ModelAdmin):
    """Diets, allergens and tags: searchable so recipe forms can autocomplete them."""

    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Diet)
class DietAdmin(NamedSlugAdmin):
    list_display = ["name", "slug", "protein_pct", "fat_pct", "carb_pct"]


@admin.register(Allergen)
class AllergenAdmin(NamedSlugAdmin):
    pass


@admin.register(Tag)
class TagAdmin(NamedSlugAdmin):
    pass


class FoodPortionInline(BoundedInputAdmin, admin.TabularInline):
    model = FoodPortion
    fields = ["seq", "amount", "measure", "gram_weight"]
    extra = 0


class FoodAllergenFilter(admin.SimpleListFilter):
    """Foods carrying one allergen (Food.allergen_slugs holds space-separated slugs)."""

    title = "allergen"
    parameter_name = "allergen"

    def lookups(self, request, model_admin):
        return [(slug, slug) for slug in ALLERGENS]

    def queryset(self, request, queryset):
        if self.value() in ALLERGENS:
            return queryset.filter(allergen_slugs__regex=rf"(^| ){self.value()}( |$)")
        return queryset


@admin.register(Food)
class FoodAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["name", "source", "source_id", "category", "energy_kcal", "protein_g", "fat_g", "carbohydrate_g",
                    "allergen_slugs", "diet_facts", "price_per_kg"]
    list_editable = ["price_per_kg"]
    list_filter = ["category", "source", FoodAllergenFilter]
    search_fields = ["name", "source_id", "common_names"]
    inlines = [FoodPortionInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"allergen_slugs", "diet_facts"} & set(form.changed_data):
            count = recompute_recipes_using(food=obj)
            self.message_user(request, f"Allergens and diets of {count} recipe(s) using it recomputed.")

    def get_deleted_objects(self, objs, request):
        """A food in use is protected: name the recipe of each ingredient line in the way."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            lines = RecipeIngredient.objects.filter(food__in=objs).select_related("recipe")
            protected = [f"Recipe “{line.recipe}”, ingredient “{line}”" for line in lines]
        return deleted, model_count, perms_needed, protected


@admin.register(FoodPortion)
class FoodPortionAdmin(BoundedInputAdmin, admin.ModelAdmin):
    """Registered so ingredient lines can autocomplete the portion they were converted with."""

    list_display = ["food", "amount", "measure", "gram_weight"]
    list_select_related = ["food"]
    search_fields = ["food__name", "measure"]
    autocomplete_fields = ["food"]


class RecipeIngredientInline(BoundedInputAdmin, admin.TabularInline):
    model = RecipeIngredient
    form = RecipeIngredientForm
    fields = ["order", "original_text", "quantity", "quantity_max", "unit", "food", "shop_as", "match_confidence",
              "portion", "grams", "note", "problem"]
    readonly_fields = ["match_confidence"]
    autocomplete_fields = ["food", "portion"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("food", "portion__food")


class NeedsReviewFilter(admin.SimpleListFilter):
    """Imported recipes left unpublished for staff, by the reason the import gave (see meals.importers.catalog)."""

    title = "needs review"
    parameter_name = "review"
    REASONS = {"meal-type": "meal type unknown", "servings": "servings missing", "lines": "unresolved lines"}

    def lookups(self, request, model_admin):
        return [("any", "Any reason"), *((key, reason.capitalize()) for key, reason in self.REASONS.items()),
                ("not-a-meal", "Not a meal (drinks, sauces …)")]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.filter(needs_review=True, is_published=False)
        if self.value() in self.REASONS:
            return queryset.filter(needs_review=True, is_published=False,
                                   review_notes__contains=f"Needs review: {self.REASONS[self.value()]}")
        if self.value() == "not-a-meal":
            return queryset.filter(review_notes__startswith="Not a meal:")
        return queryset


@admin.register(Recipe)
class RecipeAdmin(BoundedInputAdmin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "meal_types_display", "diets_display", "kcal_per_serving", "protein_per_serving",
                    "coverage_display", "cost_per_serving", "is_published"]
    list_filter = [NeedsReviewFilter, "is_published", CoverageFilter, "allergens_unknown", "is_breakfast", "is_lunch",
                   "is_dinner", "is_snack", "diets", "allergens", "tags", "servings_uncertain"]
    search_fields = ["title", "slug", "description", "ingredients__food__name"]
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ["tags", "added_allergens"]
    nutrition_fields = [*CORE_NUTRIENT_FIELDS, "nutrition_coverage", "nutrition_updated_at"]
    derived_fields = ["allergens_display", "allergens_unknown", "lines_to_fix", "diets_display", "diet_facts"]
    readonly_fields = [*nutrition_fields, *derived_fields]
    inlines = [RecipeIngredientInline]
    actions = ["publish", "unpublish", "recompute_nutrition"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "instructions", "is_published"]}),
        ("Servings and time", {"fields": [("servings", "servings_uncertain"), ("prep_minutes", "cook_minutes"),
                                         "cost_per_serving"]}),
        ("Meal types", {"fields": [("is_breakfast", "is_lunch", "is_dinner", "is_snack")]}),
        ("Allergens and diets (derived from the ingredients' foods)", {"fields": [*derived_fields, "added_allergens"]}),
        ("Classification", {"fields": ["tags"]}),
        ("Source and review", {"fields": ["needs_review", "review_notes", "image_url", "source_url",
                                          ("source", "source_id"), "attribution", "license"]}),
        ("Nutrition per serving (computed from the ingredients)", {"fields": nutrition_fields}),
    ]

    def get_queryset(self, request):
        """The catalog only: a person's own recipes are private to them (and can never be published)."""
        return super().get_queryset(request).filter(owner__isnull=True).prefetch_related("diets")

    def get_urls(self):
        """Adds the "Import recipe" page (linked from the changelist) and the publish confirmation."""
        return [
            path("import/", self.admin_site.admin_view(self.import_recipe), name="meals_recipe_import"),
            path("<path:object_id>/publish/", self.admin_site.admin_view(self.publish_one), name="meals_recipe_publish"),
            *super().get_urls(),
        ]

    def import_recipe(self, request):
        return import_recipe_view(self, request)

    def publish_one(self, request, object_id):
        return publish_one_view(self, request, object_id)

    def save_related(self, request, form, formsets, change):
        """Ingredients are saved by the inline formsets, so nutrition and allergens are recomputed after them."""
        super().save_related(request, form, formsets, change)
        recompute_recipe_nutrition(form.instance)
        hold_unconfirmed_publish(self, request, form)

    @admin.display(description="Allergens")
    def allergens_display(self, recipe):
        return ", ".join(allergen.name for allergen in recipe.allergens.all()) or "none"

    @admin.display(description="Lines to fix")
    def lines_to_fix(self, recipe):
        """The lines that make the allergens unknown, numbered as the inline lists them."""
        lines = [f"{number}. {line.original_text or line}" for number, line in
                 enumerate(recipe.ingredients.all(), start=1) if line.food_id is None]
        return "; ".join(lines) or "none"

    @admin.display(description="Meal types")
    def meal_types_display(self, recipe):
        return ", ".join(recipe.meal_types)

    @admin.display(description="Diets")
    def diets_display(self, recipe):
        return ", ".join(diet.name for diet in recipe.diets.all())

    @admin.display(description="kcal/serving", ordering="energy_kcal")
    def kcal_per_serving(self, recipe):
        return round(recipe.energy_kcal)

    @admin.display(description="Protein g/serving", ordering="protein_g")
    def protein_per_serving(self, recipe):
        return round(recipe.protein_g, 1)

    @admin.display(description="Coverage", ordering="nutrition_coverage")
    def coverage_display(self, recipe):
        return f"{recipe.nutrition_coverage:.0%}"

    @admin.action(description="Publish selected recipes")
    def publish(self, request, queryset):
        return publish_action(self, request, queryset)

    @admin.action(description="Unpublish selected recipes")
    def unpublish(self, request, queryset):
        self._report(request, set_published(recipes=queryset, published=False), "unpublished")

    @admin.action(description="Recompute nutrition of selected recipes")
    def recompute_nutrition(self, request, queryset):
        recipes = queryset.prefetch_related("ingredients__food")
        for recipe in recipes:
            recompute_recipe_nutrition(recipe)
        self._report(request, len(recipes), "recomputed")

    def _report(self, request, count, verb):
        message = ngettext("%(count)d recipe %(verb)s.", "%(count)d recipes %(verb)s.", count)
        self.message_user(request, message % {"count": count, "verb": verb}, messages.SUCCESS)
