"""The GOV.UK Frontend form kit every app's pages share: the base forms and bound field (``forms``), the date input
(day, month and year boxes), yes/no radios, and ``refusals``, which turns a service's refusal into a page response.
Its templates are ``templates/govuk/``.

It has no models, services, selectors, views, urls or admin on purpose: it is markup and form plumbing, with no
data and no pages of its own. It imports no app but ``rjcases.exceptions``, the refusals it turns into responses
(docs/architecture.md, layer 4).
"""
