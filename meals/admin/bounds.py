"""Admin pages that survive submitted ids that are not ids.

Django's admin looks submitted ids up without checking them: an autocomplete widget re-rendering a
refused form (`pk__in=[value]`) and a changelist action on `_selected_action` values both raise
ValueError on a value such as `1e400`, a 500 instead of the page. `BoundedInputAdmin` makes both
use only values the field accepts; every ModelAdmin and inline uses it (tests/test_fuzz_inputs.py
checks). The rest of the input bounds are one middleware (mealplan/middleware.py).
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class ValidValuesOnly:
    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.get_related_field()
        return super().optgroups(name, [item for item in value if _accepts(target, item)], attr)


def _accepts(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteSelect(ValidValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidValuesOnly, AutocompleteSelectMultiple):
    pass


class BoundedInputAdmin:
    """Mixin for ModelAdmin and inlines: autocomplete fields and actions look up valid ids only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_accepts(self.model._meta.pk, value) for value in selected):
            self.message_user(request, "No action was taken: the selection holds something that is not an item.",
                              messages.WARNING)
            return None
        return super().response_action(request, queryset)


def bound_registered_admins(site) -> None:
    """Re-register every admin on `site` that lacks `BoundedInputAdmin` with it mixed in."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, BoundedInputAdmin):
            admin_class = type(model_admin)
            site.unregister(model)
            site.register(model, type(admin_class.__name__, (BoundedInputAdmin, admin_class), {}))
