"""Choices the case domain defines that are not a model field's: every interface (web, API) offers the same."""

# Who withdrew from the restorative process (the ``withdraw`` transition's ``withdrawn_by`` input).
WITHDRAWN_BY_CHOICES = (
    ("person harmed", "The person harmed"),
    ("person responsible", "The person responsible"),
    ("referrer", "The referrer"),
    ("service", "The RJ service"),
)

# Who reported the incident to the police or the reporting centre (``Incident.reported_by``).
REPORTED_BY_CHOICES = (
    ("harmed", "The person harmed"),
    ("witness", "A witness"),
    ("third_party", "A third party (family, friend, support worker)"),
    ("reporting_centre", "A third-party reporting centre"),
    ("police", "The police (seen by an officer)"),
    ("other", "Someone else"),
)
