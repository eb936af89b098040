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

from django.conf import settings

FETCH_TIMEOUT_SECONDS = 10
MAX_PAGE_BYTES = 2_000_000
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_SERVINGS = 100
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
