"""Make an API token for a user and print it once: ``python manage.py create_api_token USERNAME``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print it. It is shown only this once; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="What the token is for, e.g. 'Force records system'")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated: a token of theirs would be refused.")
        if user.is_demo and not settings.DEBUG:
            raise CommandError(f"{username} is a demo account: it has no place on a service with debug off.")
        _token, raw = ApiToken.issue(user, name=name.strip() or "API token")
        self.stderr.write(f"API token for {username} ({name}). Copy it now: it is not shown again.")
        self.stdout.write(raw)
