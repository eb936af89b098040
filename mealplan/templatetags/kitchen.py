"""Kitchen words for numbers on the pages."""

from django import template

register = template.Library()


@register.filter
def duration(minutes) -> str:
    """45 → "45 min", 90 → "1 h 30 min", 615 → "10 h 15 min": a long time read in hours."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
