"""Person-facing pages: sign-up, profile, household, plans, meal actions, shopping lists.

Views stay thin: reads come from selectors, writes from services, arithmetic
from pure modules. Every plan URL is scoped to the plan's household: each member with an account
reaches it, anyone else gets a 404.
Meal and day actions answer htmx with the updated day and everyone else with
a redirect back to the plan.
"""

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_ratelimit.decorators import ratelimit

from mealplan import selectors, services
from mealplan.errors import PlanInfeasible
from mealplan.forms import (
    DISLIKE_CHOICE_ERROR,
    DeleteAccountForm,
    DislikedRecipesForm,
    DislikeForm,
    HouseholdForm,
    LockForm,
    MealDislikeForm,
    MealServingsForm,
    MemberForm,
    PlanRequestForm,
    ProfileForm,
    RecipeSearchForm,
    ShoppingChecksForm,
    SignUpForm,
    SkippedMealsForm,
    SwapForm,
)
from mealplan.people.households import invitation_token, member_summaries
from mealplan.pages.cache import render_page
from mealplan.models import INVITATION_LIFETIME, MealPlan, PlanJobKind, PlanJobStatus
from mealplan.pages.plan_grid import grid_version, plan_days, plan_summary
from mealplan.shopping.spreadsheet import FormulaSafeWriter
from mealplan.accounts.throttle import SIGNUPS_PER_ADDRESS
from mealplan.people.targets import targets_for_profile

SWAP_PICKER_SIZE = 40
STALE_MEAL_MESSAGE = "This meal had already changed, so nothing was done: here it is as it is now."
# What planning operations raise when they change nothing: no feasible plan, or a rule broken.
REFUSALS = (PlanInfeasible, ValidationError)


def _household_plan(request, pk) -> MealPlan:
    return selectors.household_plan(request.user, pk)


def _refusal_reasons(error: Exception) -> list[str]:
    return error.reasons if isinstance(error, PlanInfeasible) else error.messages


def _report_refusal(request, reasons: list[str]):
    messages.error(request, "Nothing changed: " + " ".join(reasons))


def home(request):
    plans = selectors.recent_plans(request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
@ratelimit(group=SIGNUPS_PER_ADDRESS.group, key="ip", rate=SIGNUPS_PER_ADDRESS.rate, method="POST")
def signup(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, "Welcome! Tell us a little about yourself so we can plan for you.")
            return redirect("profile")
    return render(request, "registration/signup.html", {"form": form})


def _profile_page(request, form, recipes_form, *, targets, status=200):
    return render(
        request,
        "mealplan/profile_form.html",
        {
            "form": form,
            "recipes_form": recipes_form,
            "targets": targets,
            "food_query": request.GET.get("food_q", "").strip(),
            "nav": "profile",
        },
        status=status,
    )


def _recipes_form(profile, data=None):
    """The "suggest again" checkboxes; None before the profile exists."""
    return DislikedRecipesForm(data, profile=profile) if profile.pk else None


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = selectors.profile_or_new(request.user)
    targets = targets_for_profile(instance) if instance.pk else None  # as saved, before any edit
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved. Your daily targets are below.")
            return redirect("profile")
    return _profile_page(request, form, _recipes_form(instance), targets=targets)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Say what deleting the account takes with it (selectors.account_deletion), then delete it on the
    person's password."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(user=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            logout(request)
            messages.success(request, "Your account has been deleted.")
            return redirect("home")
    gone = selectors.account_deletion(request.user)
    return render(request, "registration/account_delete.html", {
        "form": form, "gone": gone, "nav": "profile",
        "blocked": services.own_recipes_planned_message(gone.blocking) if gone.blocking and not form.errors else "",
    }, status=400 if form.errors else 200)


def _suggest_recipes_again(request, profile, *, done_url, invalid_page, member=None):
    """Suggest the ticked recipes to `profile` (the person's own, or `member`, one without an account) again: htmx
    gets the updated list, everyone else `done_url`, or for a bad form the page `invalid_page(recipes_form)` draws."""
    recipes_form = _recipes_form(profile, request.POST)
    context = {"member": member} if member else {}
    if recipes_form.is_valid():
        recipes = list(recipes_form.cleaned_data["recipes"])
        services.set_recipes_disliked(member=profile, recipes=recipes, disliked=False)
        whom = f" to {member.display_name}" if member else ""
        notice = f"{len(recipes)} recipe{'s' if len(recipes) != 1 else ''} can be suggested{whom} again."
        if request.htmx:
            return render(request, "mealplan/_disliked_recipes.html",
                          {**context, "recipes_form": _recipes_form(profile), "notice": notice})
        messages.success(request, notice)
        return redirect(done_url)
    if request.htmx:
        return render(request, "mealplan/_disliked_recipes.html", {**context, "recipes_form": recipes_form}, status=400)
    return invalid_page(recipes_form)


@login_required
@require_POST
def profile_recipes(request):
    """Suggest the ticked recipes again."""
    instance = selectors.profile_or_new(request.user)
    if not instance.pk:
        return redirect("profile")
    return _suggest_recipes_again(
        request, instance, done_url=f"{reverse('profile')}#disliked-recipes",
        invalid_page=lambda recipes_form: _profile_page(request, ProfileForm(instance=instance), recipes_form,
                                                        targets=targets_for_profile(instance), status=400))


@login_required
@require_GET
def profile_foods(request):
    """htmx: the disliked-foods checkboxes filtered by a search, ticks kept."""
    form = ProfileForm(instance=selectors.profile_or_new(request.user))
    ticked = {value for value in request.GET.getlist("disliked_foods") if value.isdigit()}
    return render(
        request,
        "mealplan/_disliked_foods.html",
        {"field": form["disliked_foods"], "food_query": request.GET.get("food_q", "").strip(), "ticked": ticked},
    )


@login_required
def plan_list(request):
    return render(request, "mealplan/plan_list.html", {"plans": selectors.plans_of(request.user), "nav": "plans"})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    if not selectors.has_profile(request.user):
        messages.info(request, "First tell us about yourself: the plan is built from your profile.")
        return redirect("profile")
    form = PlanRequestForm(request.POST or None)
    reasons = []
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.request_new_plan(user=request.user, **form.cleaned_data)
            except REFUSALS as error:
                reasons = _refusal_reasons(error)
            else:
                return _job_response(request, job)
    return _plan_new_page(request, form, reasons)


def _plan_new_page(request, form, reasons):
    return render(request, "mealplan/plan_new.html", {"form": form, "reasons": reasons, "nav": "plan-new"})


JOB_DONE_MESSAGES = {
    PlanJobKind.NEW_PLAN: "Your plan is ready.",
    PlanJobKind.REGENERATE_PLAN: "New meals for the whole plan (locked meals kept).",
    PlanJobKind.REGENERATE_DAY: "New meals for the day (locked meals kept).",
}


def _job_response(request, job):
    """Without JavaScript: a pending job's "planning…" page (the plan itself for a regeneration),
    a done job's plan, a failed one's reasons."""
    if job.pending:
        return redirect(job if job.kind == PlanJobKind.NEW_PLAN else job.plan)
    if job.status == PlanJobStatus.DONE:
        messages.success(request, JOB_DONE_MESSAGES[job.kind])
        anchor = f"#day-{job.day + 1}" if job.kind == PlanJobKind.REGENERATE_DAY else ""
        return redirect(job.plan.get_absolute_url() + anchor)
    if job.kind == PlanJobKind.NEW_PLAN:
        form = PlanRequestForm(initial={"start_date": job.start_date, "days": job.days})
        return _plan_new_page(request, form, job.reasons)
    _report_refusal(request, job.reasons)
    return redirect(job.plan)


@login_required
@require_GET
def plan_job(request, pk):
    """A job's progress: "planning…" until it is done. htmx polls it: 204 while pending, then the
    re-planned day (when the poll came from that day) or a redirect to the outcome."""
    job = selectors.household_job(request.user, pk)
    if request.htmx:
        if job.pending:
            return HttpResponse(status=204)
        if job.kind == PlanJobKind.REGENERATE_DAY and "day" in request.GET:
            return _day_response(request, job.plan, job.day, job.reasons)
        return HttpResponseClientRedirect(job.get_absolute_url())
    if job.pending and job.kind == PlanJobKind.NEW_PLAN:
        return render(request, "mealplan/plan_job.html", {"job": job, "nav": "plan-new"})
    return _job_response(request, job)


@login_required
@require_GET
def plan_detail(request, pk):
    """The plan's days; on a plan for several members, `?member=<position>` shows one member's week."""
    plan, meal_state, cost = selectors.plan_page_state(request.user, pk)
    only = _member_shown(request) if cost.eaters > 1 else None
    view = cache(lambda: _plan_view(request, plan, only=only, shared=cost.eaters > 1))
    version = grid_version(plan, meal_state)
    pending_job = selectors.household_job(request.user, plan.pending_job_id) if plan.pending_job_id else None
    context = {
        "plan": plan,
        "cost": cost,
        # Callables: the template reads the meals (once) only when the cached grid is stale.
        "days": lambda: view()[1],
        "eaters": lambda: view()[0],
        "only": only,
        "summary": lambda: plan_summary(view()[1]),
        "grid_version": version,
        "pending_job": pending_job,
        "nav": "plans",
    }
    return render_page(request, "mealplan/plan_detail.html", context,
                       shows=(plan.pk, version, cost, only, pending_job and (pending_job.pk, pending_job.kind)))


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    plan = _household_plan(request, pk)
    if request.method == "POST":
        services.delete_plan(plan=plan)
        messages.success(request, "Plan deleted.")
        return redirect("plan-list")
    return render(request, "mealplan/plan_confirm_delete.html", {"plan": plan, "nav": "plans"})


@login_required
@require_POST
def plan_regenerate(request, pk):
    plan = _household_plan(request, pk)
    try:
        job = services.request_regenerate_plan(user=request.user, plan=plan)
    except REFUSALS as error:
        _report_refusal(request, _refusal_reasons(error))
        return redirect(plan)
    return _job_response(request, job)


def _member_shown(request) -> int | None:
    """The member (position) whose week the page shows, from its link or sent along by its actions
    (the page's hidden field, htmx's hx-vals); None: everyone."""
    member = request.POST.get("member", "") or request.GET.get("member", "")
    return int(member) if member.isdigit() else None


def _back_to_day(plan, day: int, only: int | None) -> str:
    return plan.get_absolute_url() + (f"?member={only}" if only is not None else "") + f"#day-{day + 1}"


def _plan_view(request, plan, *, only=None, shared=True) -> tuple[list, list]:
    """The plan's members (when `shared`: a plan for several) and its days as `request.user` sees
    them, `only` one member's week."""
    eaters, portions = selectors.plan_eaters(plan) if shared else ([], {})
    meals = selectors.meals_for_display(plan, request.user)
    return eaters, plan_days(plan, meals, eaters=eaters, portions=portions, only=only, viewer=request.user.pk)


def _day_response(request, plan, day: int, reasons=(), pending_job=None):
    """htmx gets the re-rendered day (polling `pending_job` while it runs); without JavaScript,
    back to the plan at that day."""
    only = _member_shown(request)
    if request.htmx:
        eaters, days = _plan_view(request, plan, only=only)
        return render(request, "mealplan/_day_update.html", {
            "plan": plan, "day": days[day], "reasons": reasons, "pending_job": pending_job, "eaters": eaters,
            "only": only, **_plan_totals(plan, days),
        })
    if reasons:
        _report_refusal(request, reasons)
    return redirect(_back_to_day(plan, day, only))


def _run_day_action(request, plan, day: int, action):
    try:
        action()
    except REFUSALS as error:
        return _day_response(request, plan, day, _refusal_reasons(error))
    return _day_response(request, plan, day)


@login_required
@require_POST
def day_regenerate(request, pk, day):
    plan = _household_plan(request, pk)
    if not 0 <= day < plan.days:
        raise Http404("No such day in this plan.")
    try:
        job = services.request_regenerate_day(user=request.user, plan=plan, day=day)
    except REFUSALS as error:
        return _day_response(request, plan, day, _refusal_reasons(error))
    if not request.htmx:
        return _job_response(request, job)
    return _day_response(request, plan, day, job.reasons, pending_job=job if job.pending else None)


@login_required
@require_POST
def meal_regenerate(request, pk, meal_pk):
    meal = selectors.household_meal(request.user, pk, meal_pk)
    return _run_day_action(request, meal.plan, meal.day, lambda: services.regenerate_meal(meal=meal))


@login_required
@require_POST
def meal_lock(request, pk, meal_pk):
    meal = selectors.household_meal(request.user, pk, meal_pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose lock or unlock.", status=400)
    return _run_day_action(
        request, meal.plan, meal.day, lambda: services.set_meal_locked(meal=meal, locked=form.cleaned_data["locked"])
    )


@login_required
@require_POST
def meal_keep(request, pk, meal_pk):
    """Keep a meal that breaks the profile's current rules (it stays locked through "Regenerate plan")."""
    meal = selectors.household_meal(request.user, pk, meal_pk)
    return _run_day_action(request, meal.plan, meal.day, lambda: services.keep_meal_despite_rules(meal=meal))


def _dislike_notice(title: str, disliked: bool, member=None) -> str:
    """What a dislike did; `member` is whom it was for when not the person signed in."""
    if not disliked:
        return f"{title} can be suggested again" + (f" for {member.display_name}." if member else ".")
    if member is None:
        return f"We won't suggest {title} again and have replaced it. Your profile lists the recipes you turned down."
    where = "Their profile" if member.user_id else "Their page in the household"
    return (f"We won't suggest {title} to {member.display_name} again and have re-planned the meal without it for "
            f"them. {where} lists the recipes they turned down.")


@login_required
@require_POST
def meal_dislike(request, pk, meal_pk):
    """Don't suggest this meal's recipe again to the person signed in, or to the member of their household
    the card's "who doesn't like it" names (and replace it), or suggest it again.

    Every day showing the recipe changes: htmx gets the meal's day and the others out of band.
    """
    meal = selectors.household_meal(request.user, pk, meal_pk)
    form = MealDislikeForm(request.POST, meal_pk=meal.pk)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors.get("who", [DISLIKE_CHOICE_ERROR])), status=400)
    disliked, who = form.cleaned_data["disliked"], form.cleaned_data["who"]
    member = selectors.household_person(request.user, who) if who else selectors.own_profile(request.user)
    plan, title = meal.plan, meal.recipe.title
    if form.cleaned_data["recipe_id"] != meal.recipe_id:
        return _days_response(request, plan, meal.day, {meal.day}, STALE_MEAL_MESSAGE)
    days = selectors.days_with_recipe(plan, meal.recipe_id)
    try:
        if disliked:
            services.dislike_meal(meal=meal, member=member)
        else:
            services.set_recipes_disliked(member=member, recipes=[meal.recipe_id], disliked=False)
    except REFUSALS as error:
        return _day_response(request, plan, meal.day, _refusal_reasons(error))
    notice = _dislike_notice(title, disliked, member if member.user_id != request.user.pk else None)
    return _days_response(request, plan, meal.day, days, notice)


def _days_response(request, plan, day: int, days: set[int], notice: str):
    """htmx gets `day` with the notice and the rest of `days` out of band; without JavaScript,
    the notice as a message and back to the plan at `day`."""
    only = _member_shown(request)
    if not request.htmx:
        messages.success(request, notice)
        return redirect(_back_to_day(plan, day, only))
    eaters, shown = _plan_view(request, plan, only=only)
    return render(request, "mealplan/_days.html", {
        "plan": plan, "day": shown[day], "notice": notice, "others": [shown[other] for other in sorted(days - {day})],
        "eaters": eaters, "only": only, **_plan_totals(plan, shown),
    })


def _plan_totals(plan, days) -> dict:
    """What the page shows above the grid, for the out-of-band update of an htmx answer."""
    return {"cost": selectors.cost_of_plan(plan), "summary": plan_summary(days)}


@login_required
@require_POST
def recipe_dislike(request, slug):
    """The recipe page's "Don't suggest this again" / "Suggest again"."""
    recipe = selectors.published_recipe(slug)
    profile = selectors.own_profile(request.user)
    if profile is None:
        messages.info(request, "First tell us about yourself: your dislikes are kept with your profile.")
        return redirect("profile")
    form = DislikeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(DISLIKE_CHOICE_ERROR, status=400)
    disliked = form.cleaned_data["disliked"]
    services.set_recipes_disliked(member=profile, recipes=[recipe], disliked=disliked)
    notice = f"We won't suggest {recipe.title} again." if disliked else _dislike_notice(recipe.title, False)
    if request.htmx:
        return render(request, "mealplan/_recipe_dislike.html", {"recipe": recipe, "disliked": disliked, "notice": notice})
    messages.success(request, notice)
    return redirect(recipe)


@login_required
@require_http_methods(["GET", "POST"])
def meal_swap(request, pk, meal_pk):
    """A recipe picker for one meal; choosing posts back here."""
    meal = selectors.household_meal(request.user, pk, meal_pk)
    search = RecipeSearchForm(request.GET)
    candidates = selectors.swap_candidates(meal, query=search.cleaned_data["q"]).exclude(pk=meal.recipe_id) \
        if search.is_valid() else []
    replan_offer = None
    if request.method == "POST":
        form = SwapForm(request.POST, candidates=selectors.swap_candidates(meal))
        if form.is_valid():
            recipe, replan_day = form.cleaned_data["recipe"], form.cleaned_data["replan_day"]
            try:
                services.swap_meal(meal=meal, recipe=recipe, replan_day=replan_day)
            except REFUSALS as error:
                _report_refusal(request, _refusal_reasons(error))
                if replan_day or not isinstance(error, PlanInfeasible):
                    return redirect(f"{meal.plan.get_absolute_url()}#day-{meal.day + 1}")
                replan_offer = recipe  # the page offers to swap and re-plan the day
            else:
                messages.success(request, f"Swapped in {recipe.title}" + (
                    "; the day's other meals were re-planned." if replan_day else
                    "; the day's other meals keep their recipes, portions re-balanced."))
                return redirect(f"{meal.plan.get_absolute_url()}#day-{meal.day + 1}")
        else:
            messages.error(request, "That recipe cannot go in this slot; pick one from the list.")
    template = "mealplan/_swap_results.html" if request.htmx else "mealplan/swap.html"
    return render(
        request,
        template,
        {
            "meal": meal,
            "plan": meal.plan,
            "search": search,
            "candidates": candidates[:SWAP_PICKER_SIZE],
            # A shared meal's portions are the planner's, each sized to its eater's targets.
            "servings_form": None if meal.portions.count() > 1 else MealServingsForm(instance=meal),
            "shared_servings": services.SHARED_SERVINGS_MESSAGE,
            "replan_offer": replan_offer,
            "picker_size": SWAP_PICKER_SIZE,
            "nav": "plans",
        },
    )


@login_required
@require_POST
def meal_servings(request, pk, meal_pk):
    """Set a meal's servings by hand (from the swap page); the rest of its day re-balances around it."""
    meal = selectors.household_meal(request.user, pk, meal_pk)
    form = MealServingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Servings: " + " ".join(form.errors["servings"]))
        return redirect("meal-swap", pk=pk, meal_pk=meal_pk)
    servings = form.cleaned_data["servings"]
    try:
        services.set_meal_servings(meal=meal, servings=servings)
    except REFUSALS as error:
        _report_refusal(request, _refusal_reasons(error))
    else:
        messages.success(request, f"{meal.recipe.title}: {servings:g} serving{'s' if servings != 1 else ''}, locked; "
                                  "the rest of the day was re-balanced around it.")
    return redirect(f"{meal.plan.get_absolute_url()}#day-{meal.day + 1}")


def _shopping_context(plan):
    shopping = selectors.shopping_list(plan)
    checks = selectors.shopping_checks(plan)
    return {"plan": plan, "shopping": shopping, "checks": checks, "ticked": checks.count_on(shopping),
            "cost": selectors.cost_of_plan(plan), "nav": "plans"}


@login_required
@require_GET
def shopping_list(request, pk):
    return render(request, "mealplan/shopping_list.html", _shopping_context(_household_plan(request, pk)))


@login_required
@require_GET
def shopping_print(request, pk):
    return render(request, "mealplan/shopping_print.html", _shopping_context(_household_plan(request, pk)))


@login_required
@require_POST
def shopping_checks(request, pk):
    """Store the full set of ticked items (htmx sends it on every change)."""
    plan = _household_plan(request, pk)
    shopping = selectors.shopping_list(plan)
    form = ShoppingChecksForm(request.POST, shopping=shopping)
    if not form.is_valid():
        return HttpResponse("Those items are not on this shopping list.", status=400)
    checks = services.set_shopping_checks(plan=plan, food_ids=form.cleaned_data["food"],
                                          line_keys=form.cleaned_data["line"])
    if request.htmx:
        return render(request, "mealplan/_check_status.html", {"ticked": checks.count_on(shopping), "total": shopping.size})
    messages.success(request, "Shopping list saved.")
    return redirect("shopping-list", pk=plan.pk)


@login_required
@require_GET
def shopping_csv(request, pk):
    plan = _household_plan(request, pk)
    shopping = selectors.shopping_list(plan)
    checks = selectors.shopping_checks(plan)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shopping-list-{plan.start_date:%Y-%m-%d}.csv"'
    writer = FormulaSafeWriter(response)
    writer.writerow(["aisle", "item", "amount", "grams", "ticked"])
    for aisle in shopping.aisles:
        for item in aisle.items:
            writer.writerow([aisle.name, item.name, item.amount, round(item.grams),
                             "yes" if item.tick in checks.ticks else ""])
        for line in aisle.lines:
            writer.writerow([aisle.name, line.text, line.amount, "", "yes" if line.key in checks.line_keys else ""])
    return response


# The household page: members with their targets, members without an account, invitations.
# Every lookup goes through the signed-in person's household (selectors: 404 for anybody else's).


def _profile_for_household(request):
    """The signed-in person's profile; None (with a message saying so) before they have one."""
    profile = selectors.own_profile(request.user)
    if profile is None:
        messages.info(request, "First tell us about yourself: your household starts with you.")
    return profile


def _household_page(request, profile, form, *, status=200):
    members = selectors.current_members(profile.household)
    accounts = [member for member in members if member.user_id is not None]
    invitations = [(invitation, request.build_absolute_uri(reverse("household-join", args=[invitation_token(invitation.key)])))
                   for invitation in selectors.open_invitations(profile.household)]
    return render(request, "mealplan/household.html", {
        "household": profile.household, "me": profile, "form": form, "members": member_summaries(members),
        "invitations": invitations, "can_leave": len(accounts) > 1, "nav": "household",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def household(request):
    profile = _profile_for_household(request)
    if profile is None:
        return redirect("profile")
    form = HouseholdForm(request.POST or None, initial={"name": profile.household.name})
    if request.method == "POST":
        if not form.is_valid():
            return _household_page(request, profile, form, status=400)
        services.rename_household(household=profile.household, name=form.cleaned_data["name"])
        messages.success(request, "Household renamed.")
        return redirect("household")
    return _household_page(request, profile, form)


def _member_page(request, form, *, member=None, recipes_form=None, status=200):
    """A member's form, and for one already saved the recipes turned down for them ("suggest again")."""
    if member is not None and recipes_form is None:
        recipes_form = _recipes_form(member)
    return render(request, "mealplan/household_member.html",
                  {"form": form, "member": member, "recipes_form": recipes_form, "nav": "household",
                   "food_query": request.GET.get("food_q", "").strip()},
                  status=status)


def _save_member_form(request, form, household):
    member = services.save_member(household=household, member=form.save(commit=False),
                                  excluded_allergens=form.cleaned_data["excluded_allergens"],
                                  disliked_foods=form.cleaned_data["disliked_foods"],
                                  skipped_meals=form.cleaned_data["skipped_meals"])
    messages.success(request, f"{member.display_name} saved. Their daily targets are below.")
    return redirect(f"{reverse('household')}#member-{member.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request):
    """Add a member without an account (a child, or anybody who eats with the household)."""
    profile = _profile_for_household(request)
    if profile is None:
        return redirect("profile")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save_member_form(request, form, profile.household)
    return _member_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, member_pk):
    member = selectors.household_member(request.user, member_pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        return _save_member_form(request, form, member.household)
    return _member_page(request, form, member=member, status=400 if form.errors else 200)


@login_required
@require_POST
def member_recipes(request, member_pk):
    """Suggest the ticked recipes to a member without an account again."""
    member = selectors.household_member(request.user, member_pk)
    return _suggest_recipes_again(
        request, member, member=member, done_url=f"{reverse('member-edit', args=[member.pk])}#disliked-recipes",
        invalid_page=lambda recipes_form: _member_page(request, MemberForm(instance=member), member=member,
                                                       recipes_form=recipes_form, status=400))


@login_required
@require_POST
def member_remove(request, member_pk):
    """Take a member without an account off the household (past plans keep their name)."""
    member = selectors.household_member(request.user, member_pk)
    services.remove_member(member=member)
    messages.success(request, f"{member.display_name} is no longer in the household.")
    return redirect("household")


@login_required
@require_http_methods(["GET", "POST"])
def household_skips(request):
    """The signed-in member's own meals a day with the household and skipped meals (the rest of their
    data is on the profile page)."""
    profile = _profile_for_household(request)
    if profile is None:
        return redirect("profile")
    form = SkippedMealsForm(request.POST or None, member=profile)
    if request.method == "POST" and form.is_valid():
        services.set_household_meals(member=profile, **form.cleaned_data)
        messages.success(request, "Your meals with the household are saved.")
        return redirect("household")
    return render(request, "mealplan/household_skips.html", {"form": form, "nav": "household"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def household_leave(request):
    if selectors.own_profile(request.user) is None:
        return redirect("profile")
    try:
        services.leave_household(user=request.user)
    except ValidationError as refused:
        _report_refusal(request, refused.messages)
    else:
        messages.success(request, "You left the household: this is your own now. The household's plans stay with it.")
    return redirect("household")


@login_required
@require_POST
def invitation_new(request):
    profile = _profile_for_household(request)
    if profile is None:
        return redirect("profile")
    services.invite_to_household(household=profile.household, user=request.user)
    messages.success(request, "Invitation made: send its link to the person you are inviting. It works once, "
                              f"for {INVITATION_LIFETIME.days} days.")
    return redirect(f"{reverse('household')}#invitations")


@login_required
@require_POST
def invitation_cancel(request, invitation_pk):
    services.cancel_invitation(invitation=selectors.household_invitation(request.user, invitation_pk))
    messages.success(request, "Invitation cancelled: its link no longer works.")
    return redirect(f"{reverse('household')}#invitations")


@login_required
@require_http_methods(["GET", "POST"])
def household_join(request, invitation):
    """An invitation link: the invited person confirms, and joins the household (once)."""
    found = selectors.invitation_for_link(invitation)
    profile = selectors.own_profile(request.user)
    if request.method == "POST" and profile is not None:
        try:
            services.join_household(user=request.user, invitation=found)
        except ValidationError as refused:
            _report_refusal(request, refused.messages)
            return redirect("household")
        messages.success(request, f"Welcome to {found.household.name}.")
        return redirect("household")
    return render(request, "mealplan/household_join.html", {
        "invitation": found, "profile": profile, "nav": "household",
        "already_member": profile is not None and profile.household_id == found.household_id,
    })
