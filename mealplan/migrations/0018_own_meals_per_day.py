"""Own meals a day within the household's: a member's (Profile, empty: every meal of its day, 2-6) and, as they
were, a plan member's (PlanMember). Reversible: the columns go."""

import django.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mealplan', '0017_plans_outlive_accounts'),
        ('meals', '0012_recipe_picture'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='planmember',
            name='own_meals_per_day',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Their own meals a day within the plan's, as they were; empty: every one.", null=True),
        ),
        migrations.AddField(
            model_name='profile',
            name='own_meals_per_day',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Meals a day this member eats with the household; empty: every meal of the household's day.", null=True, validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(6)]),
        ),
        migrations.AddConstraint(
            model_name='profile',
            constraint=models.CheckConstraint(condition=models.Q(('own_meals_per_day__isnull', True), models.Q(('own_meals_per_day__gte', 2), ('own_meals_per_day__lte', 6)), _connector='OR'), name='profile_own_meals_per_day_2_6'),
        ),
    ]
