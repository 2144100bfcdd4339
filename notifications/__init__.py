"""What the service emails, to whom, and what became of each message (docs/email.md).

- ``models``: ``Message`` (one per email) and ``Preference`` (a user's own choices).
- ``services``: the messages each change calls for, written by the casework services in their transaction.
- ``tasks`` and ``delivery``: sending after the commit, once; ``retry_failed_messages`` for what failed.
- ``selectors`` and ``digest``: the timeline's entries and the morning digest (``send_daily_digest``).
- ``content`` and ``templates/notifications/``: the words, given a reference, a status and a link only.
- ``forms``: the account page's choice (the page itself is ``accounts.views.account``).

No ``views`` or ``urls``: nothing here has a page of its own; messages show on the case timeline and in the
admin, preferences on the user's account page.
"""
