import pytest

from meals.models import Diet


@pytest.mark.django_db
def test_reference_diets_exist_after_migrate():
    assert set(Diet.objects.values_list("slug", flat=True)) >= {"vegetarian", "vegan", "keto"}
