from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_ensure_staff_user_creates_a_working_superuser_once(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "chef")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "s3cret-Passw0rd")
    out = StringIO()
    call_command("ensure_staff_user", stdout=out)
    call_command("ensure_staff_user", stdout=out)

    user = get_user_model().objects.get(username="chef")
    assert user.is_staff and user.is_superuser and user.check_password("s3cret-Passw0rd")
    assert "Staff login created" in out.getvalue()
    assert "exists (password unchanged" in out.getvalue()


@pytest.mark.django_db
def test_generated_password_is_printed_and_works(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_staff_user", stdout=out)
    password = out.getvalue().split("admin / ")[1].split(" ")[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
