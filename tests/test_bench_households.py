"""`manage.py bench_planner --households`: random households planned from the catalog, figures printed, all rolled back."""

import io

from django.core.management import call_command

from meals.models import Recipe
from mealplan.models import Household
from tests.test_catalog_import import record, write


def test_bench_planner_plans_random_households_and_rolls_them_back(db, tmp_path):
    out = io.StringIO()
    call_command("bench_planner", "--catalog", write(tmp_path, record()), "--usda", tmp_path / "no-usda",
                 "--households", "3", "--show-plans", stdout=out)
    report = out.getvalue()
    assert report.count("  household ") == 3
    assert "Solve time (plan_household): median" in report
    assert "Member-days with kcal within ±5 % of the member's target at home:" in report
    assert "Meals served as one shared dish where the members' rules allow one" in report
    assert "Targets (issue 11):" in report
    assert not Recipe.objects.exists() and not Household.objects.exists()  # rolled back
