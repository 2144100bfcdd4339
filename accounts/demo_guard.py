"""Demo data never in production: the commands that load or print it refuse while debug is off unless told."""

from django.conf import settings
from django.core.management.base import CommandError

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


def add_not_production_flag(parser) -> None:
    parser.add_argument(
        NOT_PRODUCTION_FLAG,
        action="store_true",
        dest="i_know_this_is_not_production",
        help="Run even though debug is off (a test or training copy, never the live service).",
    )


def refuse_demo_in_production(options: dict, what: str) -> None:
    """Raise CommandError when debug is off and the flag was not given."""
    if settings.DEBUG or options.get("i_know_this_is_not_production"):
        return
    raise CommandError(
        f"Refused: {what} is demo data, with passwords published in the README, and debug is off, so this may be "
        f"the live service. If it is not, run again with {NOT_PRODUCTION_FLAG}."
    )
