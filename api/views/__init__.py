"""The API's views. Each is thin: it starts from a case the token's user may see (404 outside it), writes a
read access row, checks the shape of the input, calls the same service as the web page, and answers.
Permission, state and guard checks are the services'; ``api.errors`` maps their refusals to statuses.

- ``common``: the shared steps (the case this user may see, the read access row, refusals);
- ``cases``: who is calling, referrals, cases, transitions, the timeline, people, consent, assessment;
- ``work``: the restorative work; ``reports``: letters and hotspots;
- ``safeguarding``: recording that a person no longer takes part; which caseworkers may read a note.
"""
