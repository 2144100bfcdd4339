"""What the API reads and writes, field by field. Input serializers check the shape and name each wrong
field; the services decide everything else (permission, state, guards). Output serializers are cut to
what the caller may see: a referrer's answers never carry parties, contact details or notes.

- ``fields``: dates in the service's range, postcodes, codes, people by username, parties of the case;
- ``cases``: referrals, cases, people, consent, assessment, notes, contacts;
- ``moves``: the transitions a case may take and takes, and the timeline;
- ``work``: the restorative work (preparation, activities, agreement, follow-up, feedback), letters, hotspots;
- ``safeguarding``: a person no longer taking part.
"""
