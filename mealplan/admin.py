"""Admin for people's profiles, their households and their plans."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Q
from django.template.defaultfilters import pluralize

from meals.admin.bounds import BoundedInputAdmin, bound_registered_admins
from mealplan import selectors, services
from mealplan.models import Household, HouseholdInvitation, MealPlan, PlanMember, PlannedMeal, Profile, SkippedMeal


class SkippedMealInline(BoundedInputAdmin, admin.TabularInline):
    model = SkippedMeal
    extra = 0


@admin.register(Profile)
class ProfileAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["__str__", "user", "household", "sex", "age", "goal", "activity_level", "diet", "meals_per_day",
                    "removed_at", "updated_at"]
    list_filter = ["goal", "activity_level", "diet", "sex"]
    list_select_related = ["user", "diet", "household"]
    search_fields = ["name", "user__username", "user__email", "household__name"]
    autocomplete_fields = ["user", "household", "diet", "excluded_allergens", "disliked_foods", "disliked_recipes"]
    inlines = [SkippedMealInline]


class MemberInline(BoundedInputAdmin, admin.TabularInline):
    model = Profile
    fields = ["name", "user", "sex", "age", "activity_level", "goal", "diet", "removed_at"]
    autocomplete_fields = ["user", "diet"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "diet")


class InvitationInline(BoundedInputAdmin, admin.TabularInline):
    model = HouseholdInvitation
    fields = ["created_by", "created_at", "accepted_by", "accepted_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # invitations are made on the household page, which gives the signed link

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "accepted_by")


@admin.register(Household)
class HouseholdAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name", "members__name", "members__user__username", "members__user__email"]
    date_hierarchy = "created_at"
    ordering = ["name", "pk"]  # Meta.ordering is dropped by get_queryset's GROUP BY: pages would be unstable
    inlines = [MemberInline, InvitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            current_members=Count("members", filter=Q(members__removed_at__isnull=True)))

    @admin.display(description="members", ordering="current_members")
    def member_count(self, household):
        return household.current_members


class PlanMemberInline(BoundedInputAdmin, admin.TabularInline):
    """Whom the plan is for, as they were when it was made (read only: their portions hang on them)."""

    model = PlanMember
    fields = ["position", "name", "member", "target_kcal", "target_protein_g", "target_fat_g", "target_carb_g"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PlannedMealInline(BoundedInputAdmin, admin.TabularInline):
    model = PlannedMeal
    fields = ["day", "slot", "dish", "meal_type", "recipe", "servings", "locked"]
    autocomplete_fields = ["recipe"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipe")


@admin.register(MealPlan)
class MealPlanAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["__str__", "owner", "household", "start_date", "days", "target_kcal", "solver_status", "created_at"]
    list_filter = ["solver_status"]
    list_select_related = ["owner", "household"]
    search_fields = ["owner__username", "owner__email", "household__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["owner", "household"]
    readonly_fields = ["solver_status", "solver_objective", "solver_gap", "solver_seconds", "created_at", "updated_at"]
    inlines = [PlanMemberInline, PlannedMealInline]


class AccountAdmin(BoundedInputAdmin, UserAdmin):
    """Deleting an account here does what the person's own "Delete your account" does
    (services.delete_account): the last member with an account of a household takes it along, with its
    plans and members without an account, which the confirmation page lists beforehand."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            gone = selectors.account_deletion(user)
            if gone.last:
                deleted.append(f"Household: {gone.household} (nobody else in it has an account), with its "
                               f"{gone.plans} plan{pluralize(gone.plans)} and its members without an account: "
                               f"{', '.join(gone.members) or 'none'}")
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_account(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.delete_account(user=user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)

# Last app: Django's and the libraries' admins registered so far (users, groups, task results) get the
# same checks on submitted ids.
bound_registered_admins(admin.site)
