"""The recipe pages' dislike marks, owned by the plans app (where dislikes live), so the catalog's
views never read plan data: a catalog template loads these tags instead."""

from django import template

from mealplan import selectors

register = template.Library()


@register.simple_tag
def disliked_recipe_ids(user) -> frozenset[int]:
    """The recipes `user` turned down, to mark them in a list (one query; none when signed out)."""
    return selectors.disliked_recipe_ids(user)


@register.simple_tag
def recipe_disliked(user, recipe) -> bool | None:
    """Whether `user` turned `recipe` down; None when there is no profile to keep it in."""
    return selectors.recipe_disliked_by(user, recipe)
