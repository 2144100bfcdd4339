"""Choices the case domain defines that are not a model field's: every interface (web, API) offers the same."""

# Who withdrew from the restorative process (the ``withdraw`` transition's ``withdrawn_by`` input).
WITHDRAWN_BY_CHOICES = (
    ("person harmed", "The person harmed"),
    ("person responsible", "The person responsible"),
    ("referrer", "The referrer"),
    ("service", "The RJ service"),
)
