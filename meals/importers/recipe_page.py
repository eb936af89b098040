"""Read a schema.org Recipe (JSON-LD or microdata) from a web page.

recipe-scrapers does the reading (it uses extruct for the structured data);
this module adds a bounded fetch and turns the result into plain data. No ORM:
meals.services.create_recipe_from_draft stores it.

The fetch runs on the server at a staff member's request, so it must not become a
way into the server's own network (SSRF): every address the host resolves to must
be public, the connection goes to the address that was checked (no second DNS
lookup to rebind), and redirects are followed by hand, each hop checked the same way.
Settings: RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS, host names exempt from the address
check (default none; the tests fetch from a server on 127.0.0.1).
"""

import http.client
import ipaddress
import re
import socket
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import isodate
from django.conf import settings

from meals.parsing.servings import ServingsGuess, servings_from_yield

FETCH_TIMEOUT_SECONDS = 10
MAX_PAGE_BYTES = 2_000_000
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MINUTES_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(h(?:ou)?rs?|hr?s?\b|m(?:in(?:ute)?s?)?\b)", re.IGNORECASE)
USER_AGENT = "meal-plan recipe importer"
# What makes an address unfit to fetch from, checked in this order so the name is the most telling one.
NON_PUBLIC_KINDS = (
    ("unspecified", "is_unspecified"),
    ("loopback", "is_loopback"),
    ("link-local", "is_link_local"),
    ("multicast", "is_multicast"),
    ("reserved", "is_reserved"),
    ("private", "is_private"),
)


class RecipeImportError(ValueError):
    """The page could not be fetched or carries no usable recipe; the message says which."""


@dataclass(frozen=True)
class RecipeDraft:
    title: str
    ingredient_lines: list[str]
    servings: int | None = None
    servings_uncertain: bool = False
    prep_minutes: int = 0
    cook_minutes: int = 0
    instructions: str = ""
    image_url: str = ""
    source_url: str = ""
    description: str = ""
    warnings: list[str] = field(default_factory=list)


def address_problem(address: str) -> str | None:
    """Why an IP address is not a public one ("loopback", "private"…), or None when it is."""
    ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 scope ("fe80::1%eth0") is not part of the address
    if ip.version == 6:
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    for kind, test in NON_PUBLIC_KINDS:
        if getattr(ip, test):
            return kind
    return None if ip.is_global else "non-public"


def _http_parts(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RecipeImportError(f"not an http(s) URL: {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise RecipeImportError(f"{url}: {error}") from error
    return parts, port


def public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, refusing the host if any of them is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RecipeImportError(f"could not find the host {host}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if host.lower() in {name.lower() for name in getattr(settings, "RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS", ())}:
        return addresses
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise RecipeImportError(
                f"refused to fetch from {host}: {address} is a {problem} address; "
                "only pages on public web addresses can be imported"
            )
    return addresses


def _pinned_connection(parts, port: int, addresses: list[str], timeout: float) -> http.client.HTTPConnection:
    """A connection to `parts.hostname` (Host header, TLS name and certificate check) that only
    ever connects to `addresses`, the ones already checked."""
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def connect_to_checked(_address, timeout, source_address=None):
        error = OSError(f"no address for {parts.hostname}")
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError as failure:
                error = failure
        raise error

    # http.client opens its socket through this attribute; replacing it is what pins the address.
    connection._create_connection = connect_to_checked
    return connection


@contextmanager
def _fetch_errors(url: str, timeout: float):
    """Network failures as RecipeImportError with a message a person can act on."""
    try:
        yield
    except TimeoutError as error:
        raise RecipeImportError(f"{url} did not answer within {timeout:g} s") from error
    except ssl.SSLError as error:
        raise RecipeImportError(f"could not fetch {url}: TLS failed ({error.reason or error})") from error
    except (OSError, http.client.HTTPException) as error:
        raise RecipeImportError(f"could not fetch {url}: {error}") from error


def _page_text(url: str, response: http.client.HTTPResponse, max_bytes: int) -> str:
    if response.status >= 400:
        raise RecipeImportError(f"{url} answered HTTP {response.status} {response.reason}")
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise RecipeImportError(f"{url} is larger than {max_bytes // 1_000_000} MB")
    return body.decode(response.headers.get_content_charset() or "utf-8", errors="replace")


def fetch_html(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_PAGE_BYTES) -> str:
    """GET an http(s) page on a public address, following up to MAX_REDIRECTS redirects (each
    checked like the first), refusing slow, huge or failed answers with a clear message."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts, port = _http_parts(current)
        connection = _pinned_connection(parts, port, public_addresses(parts.hostname, port), timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            with _fetch_errors(current, timeout):
                connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
                response = connection.getresponse()
                location = response.getheader("Location") if response.status in REDIRECT_STATUSES else None
                if location is None:
                    return _page_text(current, response, max_bytes)
        finally:
            connection.close()
        current = urljoin(current, location)
    raise RecipeImportError(f"{url} redirects more than {MAX_REDIRECTS} times")


def optional(read, default, warnings: list[str], label: str):
    """A field the page may lack: missing or malformed gives the default and a warning."""
    from recipe_scrapers._exceptions import RecipeScrapersExceptions

    try:
        value = read()
    except (RecipeScrapersExceptions, AttributeError, TypeError, ValueError, KeyError, IndexError):
        warnings.append(f"no {label} in the page")
        return default
    return default if value in (None, "") else value


def clean_text(value) -> str:
    """A JSON-LD value as one line of text: a list gives its first text, an object its name or
    @value, a number its digits; NUL and other control characters (PostgreSQL refuses NUL) removed."""
    if isinstance(value, (list, tuple)):
        value = next((text for item in value if (text := clean_text(item))), "")
    elif isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text") or ""
        value = clean_text(value)
    elif value is None or isinstance(value, bool):
        value = ""
    return CONTROL_CHARACTERS.sub("", str(value)).strip()


def clean_lines(values) -> list[str]:
    """Each item of a JSON-LD list as clean text; empty items dropped."""
    items = values if isinstance(values, (list, tuple)) else [values]
    return [text for item in items if (text := clean_text(item))]


def minutes_from(value, warnings: list[str], label: str) -> int:
    """Minutes from an ISO 8601 duration ("PT1H20M"), a number, or text ("10 minutes", "1 hr 5 mins").

    A negative or unreadable duration gives 0 and a warning instead of a wrong positive time.
    """
    if value in (None, "", [], {}):
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        minutes = value
    else:
        text = clean_text(value)
        minutes = iso_minutes(text) if text.upper().startswith("P") else text_minutes(text)
    if minutes is None or minutes < 0 or minutes != minutes:
        warnings.append(f"the {label} {clean_text(value)[:40]!r} is not a duration; left at 0")
        return 0
    return round(minutes)


def iso_minutes(text: str) -> float | None:
    try:
        duration = isodate.parse_duration(text.upper())
    except (isodate.ISO8601Error, ValueError, OverflowError):
        return None
    return duration.total_seconds() / 60 if hasattr(duration, "total_seconds") else None


def text_minutes(text: str) -> float | None:
    parts = MINUTES_IN_TEXT.findall(text)
    if not parts:
        return float(text) if text.replace(".", "", 1).isdigit() else None
    return sum(float(number) * (60 if unit.lower().startswith("h") else 1) for number, unit in parts)


def schema_field(scraper, name: str):
    """The raw JSON-LD/microdata value of a Recipe property (None if absent)."""
    data = getattr(getattr(scraper, "schema", None), "data", None)
    return data.get(name) if isinstance(data, dict) else None


def read_title(scraper) -> str:
    """The title; a JSON-LD name that is a list, number or object is read as text, not a crash."""
    from recipe_scrapers._exceptions import RecipeScrapersExceptions

    try:
        title = scraper.title()
    except RecipeScrapersExceptions as error:
        raise RecipeImportError("no schema.org Recipe (JSON-LD or microdata) found in the page") from error
    except (AttributeError, TypeError, ValueError):
        title = None
    return clean_text(title if isinstance(title, str) else schema_field(scraper, "name"))


def read_minutes(scraper, warnings: list[str], name: str, label: str) -> int:
    raw = schema_field(scraper, name)
    if raw is None:
        raw = optional(getattr(scraper, f"{label.split()[0]}_time"), None, warnings, label)
    return minutes_from(raw, warnings, label)


def read_servings(scraper, warnings: list[str]) -> ServingsGuess:
    raw = schema_field(scraper, "recipeYield") or schema_field(scraper, "yield")
    if raw in (None, "", []):
        raw = optional(scraper.yields, "", warnings, "servings")
    guess = servings_from_yield(clean_lines(raw))
    if guess.uncertain:
        warnings.append(guess.reason)
    return guess


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
    except RecipeScrapersExceptions as error:
        raise RecipeImportError("no schema.org Recipe (JSON-LD or microdata) found in the page") from error
    warnings: list[str] = []
    title = read_title(scraper)
    lines = clean_lines(optional(scraper.ingredients, [], warnings, "ingredients"))
    if not title:
        raise RecipeImportError("the recipe in the page has no title")
    if not lines:
        raise RecipeImportError("the recipe in the page lists no ingredients")
    servings = read_servings(scraper, warnings)
    return RecipeDraft(
        title=title[:200],
        ingredient_lines=lines,
        servings=servings.servings,
        servings_uncertain=servings.uncertain,
        prep_minutes=read_minutes(scraper, warnings, "prepTime", "prep time"),
        cook_minutes=read_minutes(scraper, warnings, "cookTime", "cook time"),
        instructions="\n".join(clean_lines(optional(scraper.instructions_list, [], warnings, "instructions"))),
        image_url=clean_text(optional(scraper.image, "", warnings, "image"))[:500],
        source_url=clean_text(source_url)[:500],
        description=clean_text(optional(scraper.description, "", warnings, "description")),
        warnings=warnings,
    )
