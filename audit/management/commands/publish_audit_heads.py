"""Publish the head of each audit chain to the application log, daily (the deployment's scheduler runs it).

A head written where the database's users cannot reach (the log, shipped off the server) is what shows a
chain rewritten from some row onwards, or cut short: ``verify_audit --head chain=place:hash`` checks it."""

import logging

from django.core.management.base import BaseCommand

from audit.verify import chain_heads

logger = logging.getLogger("rj.audit")


class Command(BaseCommand):
    help = "Log the head (place and hash of the last row) of every audit chain, for verify_audit --head later."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        for chain, place, digest in chain_heads(options["database"]):
            line = f"audit chain head {chain}={place}:{digest}"
            logger.info(line)
            self.stdout.write(line)
