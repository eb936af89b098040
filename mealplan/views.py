from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from mealplan.models import MealPlan


def home(request):
    return render(request, "home.html")


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(MealPlan, pk=pk, owner=request.user)
    return render(request, "mealplan/plan_detail.html", {"plan": plan})
