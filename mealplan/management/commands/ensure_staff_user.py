"""Create the first staff login so a newcomer can open the admin straight away."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser unless it exists. Username and password come from "
        "DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD, else 'admin' and a generated, printed password."
    )

    def handle(self, *args, **options):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        users = get_user_model().objects
        if users.filter(username=username).exists():
            self.stdout.write(
                f"Staff login '{username}' exists (password unchanged; "
                f"`python manage.py changepassword {username}` resets it)."
            )
            return
        given = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        users.create_superuser(username=username, email="", password=password)
        shown = "the password in DJANGO_SUPERUSER_PASSWORD" if given else password
        self.stdout.write(self.style.SUCCESS(f"Staff login created: {username} / {shown} (http://127.0.0.1:8000/admin/)"))
