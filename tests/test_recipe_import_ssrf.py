"""Staff recipe import by URL never reaches the server's own network (SSRF), redirects included."""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meals.importers.recipe_page import MAX_REDIRECTS, RecipeImportError, address_problem, fetch_html, read_recipe
from meals.models import Recipe

OMELETTE = (Path(__file__).parent / "data" / "html" / "microdata_omelette.html").read_bytes()
PUBLIC_IP = "93.184.215.14"


class Site(BaseHTTPRequestHandler):
    """/omelette: a recipe page; /go?to=URL: a 302 to URL; /loop: a redirect to itself. Records Host headers."""

    hosts: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server naming
        Site.hosts.append(self.headers["Host"])
        parts = urlsplit(self.path)
        if parts.path in ("/go", "/loop"):
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0] if parts.path == "/go" else "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(OMELETTE)))
        self.end_headers()
        self.wfile.write(OMELETTE)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site(settings):
    """A page server on 127.0.0.1; private hosts are refused unless a test allows them."""
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = []
    Site.hosts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def resolver(monkeypatch):
    """Fake DNS: names in `table` resolve to the given addresses, everything else as usual; calls are counted."""
    real = socket.getaddrinfo
    table: dict[str, list[str]] = {}
    calls: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        if host not in table:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                for ip in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table, calls


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("172.16.5.4", "private"), ("fd00::1", "private"),
        ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("100.64.0.1", "non-public"), ("2002:7f00:1::", "loopback"),
        (PUBLIC_IP, None), ("2606:4700:4700::1111", None),
    ],
)
def test_every_kind_of_non_public_address_is_named(address, kind):
    assert address_problem(address) == kind


def test_a_page_on_a_local_server_is_refused_with_a_clear_message(local_site):
    with pytest.raises(RecipeImportError, match=r"from 127\.0\.0\.1: 127\.0\.0\.1 is a loopback address"):
        fetch_html(f"http://127.0.0.1:{local_site}/omelette")
    with pytest.raises(RecipeImportError, match="only pages on public web addresses can be imported"):
        fetch_html(f"http://localhost:{local_site}/omelette")
    assert Site.hosts == []  # refused before connecting


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://[::1]/", "http://0/"])
def test_numeric_spellings_of_local_addresses_are_refused(settings, url):
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = []
    with pytest.raises(RecipeImportError, match="refused to fetch"):
        fetch_html(url)


def test_a_host_is_refused_if_any_of_its_addresses_is_private(local_site, resolver):
    table, _ = resolver
    table["mixed.example"] = [PUBLIC_IP, "10.0.0.7"]
    with pytest.raises(RecipeImportError, match=r"from mixed\.example: 10\.0\.0\.7 is a private address"):
        fetch_html("https://mixed.example/recipe")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/", "http:///x"])
def test_only_http_and_https_urls_are_fetched(url):
    with pytest.raises(RecipeImportError, match="not an http"):
        fetch_html(url)


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(local_site, resolver, settings):
    table, calls = resolver
    table["kitchen.test"] = ["127.0.0.1"]
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = ["kitchen.test"]
    draft = read_recipe(fetch_html(f"http://kitchen.test:{local_site}/omelette"))
    assert draft.title == "Onion Omelette"
    assert calls.count("kitchen.test") == 1  # resolved once, for the check; the connection used that answer
    assert Site.hosts == [f"kitchen.test:{local_site}"]  # and the request still names the host


def test_redirects_are_followed_and_each_hop_is_checked(local_site, resolver, settings):
    table, _ = resolver
    table["kitchen.test"] = ["127.0.0.1"]
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = ["kitchen.test"]
    start = f"http://kitchen.test:{local_site}/go?to="
    assert read_recipe(fetch_html(start + "/omelette")).title == "Onion Omelette"
    Site.hosts = []
    # the allowed host sends the fetch on to a local address that is not allowed: refused there
    with pytest.raises(RecipeImportError, match=r"from 127\.0\.0\.1: 127\.0\.0\.1 is a loopback address"):
        fetch_html(start + f"http://127.0.0.1:{local_site}/omelette")
    assert Site.hosts == [f"kitchen.test:{local_site}"]
    with pytest.raises(RecipeImportError, match="not an http"):
        fetch_html(start + "file:///etc/passwd")
    with pytest.raises(RecipeImportError, match=f"redirects more than {MAX_REDIRECTS} times"):
        fetch_html(f"http://kitchen.test:{local_site}/loop")


@pytest.fixture
def tls_site(local_site, tmp_path, monkeypatch):
    """The page server behind TLS with a self-signed certificate for kitchen.test, trusted by the fetch."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kitchen.test",
                    "-addext", "subjectAltName=DNS:kitchen.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trusting = ssl.create_default_context

    monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: trusting(cafile=str(cert)))
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_https_to_the_checked_address_still_verifies_the_certificate_for_the_host_name(tls_site, resolver, settings):
    table, _ = resolver
    table["kitchen.test"] = table["other.test"] = ["127.0.0.1"]
    settings.RECIPE_IMPORT_ALLOW_PRIVATE_HOSTS = ["kitchen.test", "other.test"]
    assert read_recipe(fetch_html(f"https://kitchen.test:{tls_site}/omelette")).title == "Onion Omelette"
    with pytest.raises(RecipeImportError, match="TLS failed"):
        fetch_html(f"https://other.test:{tls_site}/omelette")  # same address, but the certificate names kitchen.test


def test_an_unknown_host_is_a_clear_error():
    with pytest.raises(RecipeImportError, match="could not find the host nowhere.invalid"):
        fetch_html("https://nowhere.invalid/recipe")


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


def test_admin_import_shows_the_refusal_and_imports_nothing(staff_client, local_site):
    response = staff_client.post(reverse("admin:meals_recipe_import"), {"url": f"http://127.0.0.1:{local_site}/omelette"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "127.0.0.1 is a loopback address" in page and "Nothing was imported." in page
    assert not Recipe.objects.exists() and Site.hosts == []


def test_import_recipe_command_refuses_a_local_url(db, local_site):
    with pytest.raises(CommandError, match="loopback address.*nothing was imported"):
        call_command("import_recipe", f"http://127.0.0.1:{local_site}/omelette")
    assert not Recipe.objects.exists()
