"""Issue a one-time enrolment code on the server: ``python manage.py issue_enrolment_code USERNAME``.

For the first administrator of a new service (nobody else can issue one yet), or when no administrator can sign
in. Everyone else gets theirs from an administrator's sign-in help page."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Issue USERNAME a one-time code to set up an authenticator app (72 hours). It is shown only this once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated.")
        code = services.issue_enrolment_code(None, user, on_the_server=True)
        self.stderr.write(
            f"Enrolment code for {username}, valid for {services.ENROLMENT_CODE_HOURS} hours. "
            "They sign in with their password, then enter it. It is not shown again."
        )
        self.stdout.write(code)
