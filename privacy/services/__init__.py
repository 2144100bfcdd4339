"""Every write of the privacy app: the retention queue and its decisions (``retention``), anonymisation
(``anonymise``), people's data protection requests (``requests``) and their exports (``export``).

Each checks its permission on the server and says what it refuses; nothing changes when it refuses."""

from privacy.services.anonymise import anonymise_case, anonymise_person
from privacy.services.retention import (
    ALREADY_DECIDED,
    decide_anonymise,
    decide_keep,
    may_record_non_crime_duties,
    queue_retention_reviews,
    record_non_crime_duties,
)

__all__ = [
    "ALREADY_DECIDED",
    "anonymise_case",
    "anonymise_person",
    "decide_anonymise",
    "decide_keep",
    "may_record_non_crime_duties",
    "queue_retention_reviews",
    "record_non_crime_duties",
]
