"""Django's ``loaddata``, refusing the demo fixtures (``fixtures/demo*``) while debug is off unless
``--i-know-this-is-not-production`` is given. A fixture cannot carry a flag, so the check is here: an app's
command of the same name takes the place of Django's own."""

from pathlib import Path

from django.core.management.commands import loaddata

from accounts.demo_guard import add_not_production_flag, refuse_demo_in_production


class Command(loaddata.Command):
    help = loaddata.Command.help + " Demo fixtures (demo*) are refused while debug is off."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_not_production_flag(parser)

    def handle(self, *fixture_labels, **options):
        demo = [label for label in fixture_labels if Path(label).name.lower().startswith("demo")]
        if demo:
            refuse_demo_in_production(options, "the fixture " + ", ".join(demo))
        return super().handle(*fixture_labels, **options)
