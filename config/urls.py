"""URL wiring only: each app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "meal-plan administration"
admin.site.site_title = "meal-plan admin"
admin.site.index_title = "Catalog and plans"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("mealplan.accounts.urls")),
    path("", include("meals.urls")),
    path("", include("mealplan.urls")),
]
