"""What the service emails, to whom, and what became of each message (docs/email.md).

- ``models``: ``Message`` (one per email) and ``Preference`` (a user's own choices).
- ``services``: the messages each change calls for, written by the casework services in their transaction.
- ``tasks`` and ``delivery``: sending after the commit, once; ``retry_failed_messages`` for what failed.
- ``selectors`` and ``digest``: the timeline's entries and the morning digest (``send_daily_digest``).
- ``content`` and ``templates/notifications/``: the words, given a reference, a status and a link only.
- ``forms``: the account page's choice (the page itself is ``accounts.views.account``).
- ``SurveyInvitation``: a centre reporter's consent to the survey by email (recorded at intake; the link is made
  and sent by ``insights.services.email_survey_links``, ``manage.py send_survey_links``).

No ``views``, ``urls`` or ``admin``: nothing here has a page of its own. Messages show on the case timeline (by
the recipient's role, scoped like the rest of the timeline), preferences on the user's account page; an admin of
messages would be one more way to read who was written to about which case, outside the read access log.
"""
