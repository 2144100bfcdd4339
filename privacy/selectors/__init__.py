"""Every read of the privacy app: the retention schedule and its queue (``retention``), people's requests
(``requests``) and the subject access export (``export``)."""

from privacy.selectors.retention import (
    Due,
    decided_reviews,
    due_cases,
    may_review,
    open_review_count,
    open_reviews,
    reviews_for,
)

__all__ = ["Due", "decided_reviews", "due_cases", "may_review", "open_review_count", "open_reviews", "reviews_for"]
