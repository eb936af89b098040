"""Each existing profile becomes the first member of a household of its own, named after its account.

Backwards the households go away with their column (0008); members without an account cannot be
kept by the schema before households, so going back refuses while any exist rather than drop them.
"""

from django.db import migrations


def household_name(username: str) -> str:
    """As mealplan.models.household_name (migrations do not import app code that may change)."""
    return f"{username}'s household"[:80] if username else "My household"


def one_household_per_profile(apps, schema_editor):
    Household = apps.get_model("mealplan", "Household")
    Profile = apps.get_model("mealplan", "Profile")
    for profile in Profile.objects.filter(household__isnull=True).select_related("user").order_by("pk"):
        profile.household = Household.objects.create(name=household_name(profile.user.username if profile.user_id else ""))
        profile.save(update_fields=["household"])


def refuse_members_without_account(apps, schema_editor):
    Profile = apps.get_model("mealplan", "Profile")
    count = Profile.objects.filter(user__isnull=True).count()
    if count:
        raise RuntimeError(
            f"{count} household member(s) without an account exist; profiles before households need an account. "
            "Delete them (admin: Profiles, user empty) before migrating back.")


class Migration(migrations.Migration):

    dependencies = [
        ("mealplan", "0008_households"),
    ]

    operations = [
        migrations.RunPython(one_household_per_profile, refuse_members_without_account),
    ]
