"""Read a schema.org Recipe (JSON-LD or microdata) from a web page.

recipe-scrapers does the reading (it uses extruct for the structured data);
this module adds a bounded fetch and turns the result into plain data. No ORM:
meals.services.create_recipe_from_draft stores it.
"""

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

FETCH_TIMEOUT_SECONDS = 10
MAX_PAGE_BYTES = 2_000_000
MAX_SERVINGS = 100
USER_AGENT = "meal-plan recipe importer"


class RecipeImportError(ValueError):
    """The page could not be fetched or carries no usable recipe; the message says which."""


@dataclass(frozen=True)
class RecipeDraft:
    title: str
    ingredient_lines: list[str]
    servings: int | None = None
    prep_minutes: int = 0
    cook_minutes: int = 0
    instructions: str = ""
    image_url: str = ""
    source_url: str = ""
    description: str = ""
    warnings: list[str] = field(default_factory=list)


def fetch_html(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES) -> str:
    """GET an http(s) page, refusing slow, huge or non-HTML answers with a clear message."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise RecipeImportError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            body = response.read(max_bytes + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as error:
        raise RecipeImportError(f"{url} answered HTTP {error.code} {error.reason}") from error
    except TimeoutError as error:
        raise RecipeImportError(f"{url} did not answer within {timeout:g} s") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise RecipeImportError(f"{url} did not answer within {timeout:g} s") from error
        raise RecipeImportError(f"could not fetch {url}: {reason}") from error
    if len(body) > max_bytes:
        raise RecipeImportError(f"{url} is larger than {max_bytes // 1_000_000} MB")
    return body.decode(charset, errors="replace")


def optional(read, default, warnings: list[str], label: str):
    """A field the page may lack: missing or malformed gives the default and a warning."""
    from recipe_scrapers._exceptions import RecipeScrapersExceptions

    try:
        value = read()
    except (RecipeScrapersExceptions, AttributeError, TypeError, ValueError, KeyError, IndexError):
        warnings.append(f"no {label} in the page")
        return default
    return default if value in (None, "") else value


def servings_from(yields: str) -> int | None:
    match = re.search(r"\d+", str(yields))
    return min(int(match.group()), MAX_SERVINGS) if match and int(match.group()) > 0 else None


def read_recipe(html: str, source_url: str = "") -> RecipeDraft:
    """The recipe in `html`; RecipeImportError when there is none or it has no title/ingredients.

    recipe-scrapers is imported here, on first use, to keep it out of every process's start-up.
    """
    from recipe_scrapers import scrape_html
    from recipe_scrapers._exceptions import RecipeScrapersExceptions

    if not html.strip():
        raise RecipeImportError("the page is empty")
    try:
        scraper = scrape_html(html, org_url=source_url or "https://example.invalid/", supported_only=False)
        title = scraper.title()
    except RecipeScrapersExceptions as error:
        raise RecipeImportError("no schema.org Recipe (JSON-LD or microdata) found in the page") from error
    warnings: list[str] = []
    lines = [line.strip() for line in optional(scraper.ingredients, [], warnings, "ingredients") if line.strip()]
    if not (title or "").strip():
        raise RecipeImportError("the recipe in the page has no title")
    if not lines:
        raise RecipeImportError("the recipe in the page lists no ingredients")
    return RecipeDraft(
        title=title.strip()[:200],
        ingredient_lines=lines,
        servings=servings_from(optional(scraper.yields, "", warnings, "servings")),
        prep_minutes=int(optional(scraper.prep_time, 0, warnings, "prep time") or 0),
        cook_minutes=int(optional(scraper.cook_time, 0, warnings, "cook time") or 0),
        instructions="\n".join(optional(scraper.instructions_list, [], warnings, "instructions")),
        image_url=str(optional(scraper.image, "", warnings, "image"))[:500],
        source_url=source_url[:500],
        description=str(optional(scraper.description, "", warnings, "description")),
        warnings=warnings,
    )
