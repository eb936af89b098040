"""Admin pieces of the nutrition engine: the "Import recipe" page and the ingredient-line form.

meals/admin/__init__.py only wires these in (RecipeAdmin.get_urls, the inline's form).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from meals.importers.recipe_page import MAX_PAGE_BYTES, RecipeImportError, fetch_html, read_recipe
from meals.models import RecipeIngredient
from meals.parsing.ingredients import IngredientLineError
from meals.services import create_recipe_from_draft, reconvert_ingredient, resolve_ingredient_line

CONVERSION_FIELDS = {"food", "quantity", "unit"}


class ImportRecipeForm(forms.Form):
    url = forms.URLField(label="Page address", required=False, assume_scheme="https",
                         help_text="A page carrying a schema.org Recipe (JSON-LD or microdata).")
    html = forms.CharField(label="…or paste the page's HTML", required=False, max_length=MAX_PAGE_BYTES,
                           widget=forms.Textarea(attrs={"rows": 8}))
    source_url = forms.URLField(label="Source address of the pasted page", required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("html", "").strip()):
            raise forms.ValidationError("Give either a page address or the page's HTML.")
        return data

    def draft(self):
        """Fetch (if needed) and read the recipe; RecipeImportError on failure."""
        if self.cleaned_data["url"]:
            url = self.cleaned_data["url"]
            return read_recipe(fetch_html(url), url)
        return read_recipe(self.cleaned_data["html"], self.cleaned_data["source_url"])


def import_recipe_view(model_admin, request):
    """Create an unpublished draft from a page and open it for review."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportRecipeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recipe = create_recipe_from_draft(form.draft())
        except RecipeImportError as error:
            form.add_error(None, f"{error}. Nothing was imported.")
        else:
            unresolved = sum(1 for line in recipe.ingredients.all() if not line.is_resolved)
            servings = " Servings are uncertain: check them." if recipe.servings_uncertain else ""
            messages.success(request, f"Imported “{recipe.title}” as an unpublished draft; "
                                      f"{unresolved} ingredient line(s) need a look.{servings}")
            return redirect(reverse("admin:meals_recipe_change", args=[recipe.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import recipe",
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/meals/recipe/import_recipe.html", context, status=400 if form.errors else 200)


class RecipeIngredientForm(forms.ModelForm):
    """Ingredient line in the recipe admin.

    Typing only the line's text (food, quantity, unit and grams left empty)
    fills them in; changing food, quantity or unit recomputes the grams unless
    staff typed the grams themselves. The admin then recomputes the recipe's
    nutrition.
    """

    class Meta:
        model = RecipeIngredient
        fields = "__all__"

    def clean(self):
        data = super().clean()
        text_only = not any(data.get(name) not in (None, "") for name in (*CONVERSION_FIELDS, "grams"))
        if "original_text" in self.changed_data and text_only and data.get("original_text"):
            try:
                self.resolved = resolve_ingredient_line(data["original_text"], order=data.get("order") or 0)
            except IngredientLineError as error:
                self.add_error("original_text", str(error))
        return data

    def save(self, commit=True):
        line = super().save(commit=False)
        resolved = getattr(self, "resolved", None)
        if resolved is not None:
            for name in ("food", "quantity", "quantity_max", "unit", "portion", "grams", "note", "match_confidence",
                         "problem", "shop_as"):
                setattr(line, name, getattr(resolved, name))
        else:
            if "food" in self.changed_data:
                line.match_confidence = 1.0 if line.food_id else None  # chosen by staff
                if "shop_as" not in self.changed_data:
                    line.shop_as = ""  # the food staff chose is what to buy, unless they say otherwise
            if set(self.changed_data) & CONVERSION_FIELDS and "grams" not in self.changed_data:
                reconvert_ingredient(line)
        if commit:
            line.save()
        return line
