from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import roles
from accounts.demo_guard import add_not_production_flag, refuse_demo_in_production
from accounts.models import User
from demo.actors import DEMO_USERNAMES

DEMO_PASSWORD = "demo-Restorative-2026"


class Command(BaseCommand):
    help = "Print the demo sign-ins (development only); `make run` prints the address once the server listens."

    def add_arguments(self, parser):
        add_not_production_flag(parser)

    def handle(self, *args, **options):
        refuse_demo_in_production(options, "the list of demo sign-ins")
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"{settings.SERVICE_NAME} (demo data, synthetic people only)"))
        w(f"Demo sign-ins, all with the password  {DEMO_PASSWORD}")
        users = User.objects.filter(username__in=DEMO_USERNAMES).select_related("organisation")
        for user in users.order_by("pk"):
            w(f"  {user.username:<21} {roles.role_label(user):<30} {user.organisation or ''}")
        if not settings.DEBUG:
            w(self.style.WARNING("Debug is off: these demo accounts cannot sign in (accounts.backends)."))
        if not settings.RJ_TWO_FACTOR_REQUIRED:
            w("Two-factor sign-in is not required in development; set RJ_TWO_FACTOR_REQUIRED=1 to require it.")
        w("")
