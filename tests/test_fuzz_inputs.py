"""Fuzz (hypothesis): every form and every admin changelist filter answers without a 500.

The forms are found the way a person finds them, by crawling the pages (signed out, signed in,
and the admin's changelists and add pages), so a form added later is fuzzed too. Each field gets
odd values (NUL bytes, numbers past every integer type, impossible dates, long and non-ASCII text)
mixed with the choices the page offers, so some submissions get past validation.
A 500 raises inside the test client and fails the test with its traceback.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meals.admin.bounds import BoundedInputAdmin
from tests.web_factories import make_plan, make_user, small_catalog

ODD_VALUES = [
    "\x00", "a\x00b", "2147483648", "-2147483649", "9223372036854775808", "1" * 40, "1e400", "NaN", "-1", "0", "",
    " ", "9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30", "' OR 1=1 --", "<script>x</script>", "%", "__",
    "x" * 5000, "٣", "true", "null",
]
VALUES = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)
FUZZ = settings(max_examples=12, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Links the crawl must not follow: signing out ends the crawl's session; files are not pages.
SKIPPED_LINKS = ("logout", ".csv", "/static/")


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values the page offers


class PageParser(HTMLParser):
    """The same-site links and the POST/GET forms of one page."""

    def __init__(self, url):
        super().__init__()
        self.url, self.links, self.forms, self._form, self._select = url, [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "form":
            self._form = Form(urljoin(self.url, attrs.get("action") or self.url))
            self.forms.append(self._form)
        elif self._form and tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs["name"] != "csrfmiddlewaretoken":
                options = self._form.fields.setdefault(attrs["name"], [])
                if attrs.get("value") is not None:
                    options.append(attrs["value"])
                self._select = options if tag == "select" else None
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(client, url) -> PageParser:
    response = client.get(url)
    parser = PageParser(url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        parser.feed(response.content.decode())
    return parser


def crawl(client, start: list[str], *, inside: str = "/", limit: int = 80) -> list[Form]:
    """Forms on the pages reachable from `start` by links under `inside`, one form per action."""
    seen, queue, forms = set(), list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or not path.startswith(inside) or any(skip in url for skip in SKIPPED_LINKS):
            continue
        seen.add(path)
        page = parse(client, path)
        forms.update({(urlsplit(form.action).path, tuple(form.fields)): form for form in page.forms if form.fields})
        queue.extend(link for link in page.links if urlsplit(link).netloc in ("", "testserver"))
    return list(forms.values())


def fuzz_form(client, form: Form):
    def value_for(options):
        return st.one_of(VALUES, st.sampled_from(options)) if options else VALUES

    @FUZZ
    @given(st.fixed_dictionaries({name: value_for(options) for name, options in form.fields.items()}))
    def submit(data):
        response = client.post(urlsplit(form.action).path, data)
        assert response.status_code < 500, (form.action, data)

    submit()


@pytest.fixture
def person(db):
    owner = make_user("fuzzy")
    return owner, make_plan(owner, small_catalog(), days=3)


def test_every_form_a_signed_out_visitor_sees_answers_odd_input_without_a_500(db):
    client = Client()
    forms = crawl(client, [reverse("login"), reverse("signup"), reverse("password_reset"), reverse("recipe-list")])
    assert {reverse("login"), reverse("signup"), reverse("password_reset")} <= {urlsplit(f.action).path for f in forms}
    for form in forms:
        fuzz_form(client, form)


def test_every_form_a_signed_in_person_sees_answers_odd_input_without_a_500(person):
    owner, plan = person
    client = Client()
    client.force_login(owner)
    forms = crawl(client, [reverse("home"), plan.get_absolute_url(), reverse("shopping-list", args=[plan.pk])])
    actions = {urlsplit(form.action).path for form in forms}
    assert {reverse("profile"), reverse("plan-new"), reverse("shopping-checks", args=[plan.pk]),
            reverse("own-recipe-new"), reverse("household"), reverse("member-new"), reverse("household-skips")} <= actions
    for form in forms:
        client.force_login(owner)  # a password-change form that succeeded rotates the session
        fuzz_form(client, form)


@pytest.fixture
def staff_client(person):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "a-long-admin-passphrase-1")
    client = Client()
    client.force_login(superuser)
    return client


def changelists():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


def filter_params(client, model, model_admin) -> dict[str, list[str]]:
    """Every query parameter a changelist takes: its filter links' and each filter field's lookups."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    params = {"q": [], "o": ["1", "-1"], "p": ["1"], "all": [""], "e": ["1"]}
    for link in parse(client, url).links:
        for key, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
            params.setdefault(key, []).append(value)
    names = [name for name in model_admin.list_filter if isinstance(name, str)]
    for name in names + [model_admin.date_hierarchy] * bool(model_admin.date_hierarchy):
        field = model._meta.get_field(name.split("__")[0])
        lookups = ["exact", "isnull", "in", "gte", "lt"]
        if isinstance(field, (models.DateField, models.DateTimeField)):
            lookups += ["year", "month", "day", "year__gte"]
        if field.is_relation:
            lookups += ["id__exact"]
        params.update({f"{name}__{lookup}": [] for lookup in lookups if f"{name}__{lookup}" not in params})
    return params


@pytest.mark.parametrize(("model", "model_admin"), changelists(), ids=lambda item: getattr(item, "__name__", ""))
def test_every_admin_changelist_filter_answers_odd_input_without_a_500(staff_client, model, model_admin):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    params = filter_params(staff_client, model, model_admin)
    query = st.dictionaries(st.sampled_from(sorted(params)), VALUES, min_size=1, max_size=3)

    @FUZZ
    @given(query)
    def open_changelist(data):
        response = staff_client.get(url, data)
        assert response.status_code < 500, data

    open_changelist()


@pytest.mark.parametrize(("query", "status"), [
    ({"created_at__year__gte": "0"}, 400),  # 1 January of year 0 does not exist: was a 500
    ({"created_at__year": "0"}, 400),
    ({"created_at__year__gte": "1"}, 200),
    ({"created_at__month": "0"}, 200),
])
def test_a_year_filter_takes_years_1_to_9999(staff_client, query, status):
    response = staff_client.get(reverse("admin:mealplan_household_changelist"), query)
    assert response.status_code == status
    if status == 400:
        assert "must be a whole number from 1 to 9999" in response.content.decode()


def autocomplete_fields():
    """(model holding the field, field name) for every autocomplete field, inlines' included."""
    admins = [(model, model_admin) for model, model_admin in admin.site._registry.items()]
    admins += [(inline.model, inline) for _, model_admin in changelists() for inline in model_admin.inlines]
    return sorted({(model, name) for model, model_admin in admins for name in model_admin.autocomplete_fields},
                  key=lambda pair: (pair[0]._meta.label, pair[1]))


@pytest.mark.parametrize(("model", "field_name"), autocomplete_fields(), ids=str)
def test_admin_autocomplete_answers_odd_terms_without_a_500(staff_client, model, field_name):
    base = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}

    @FUZZ
    @given(VALUES)
    def search(term):
        response = staff_client.get(reverse("admin:autocomplete"), {**base, "term": term})
        assert response.status_code < 500, term

    search()


def test_every_admin_and_inline_checks_submitted_ids():
    admins = [model_admin for _, model_admin in changelists()]
    admins += [inline for model_admin in list(admins) for inline in model_admin.inlines]
    assert [a for a in admins if not issubclass(a if isinstance(a, type) else type(a), BoundedInputAdmin)] == []


def test_every_admin_add_and_changelist_form_answers_odd_input_without_a_500(staff_client):
    starts = [reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
              for model, _ in changelists() for page in ("changelist", "add")]
    forms = [form for form in crawl(staff_client, starts, inside="/admin/", limit=len(starts))]
    assert len(forms) >= len(changelists())
    for form in forms:
        fuzz_form(staff_client, form)
