"""The case pages: ``cases`` (the dashboard, the list, referral, the case page and what hangs off it, moves,
the read access log) and ``people`` (adding and editing people, assessment, sign-off, consent, no longer taking
part) and ``notes`` (adding a note, reading one in full, choosing whom it is shared with) and ``partnerships``
(moving a case to another partnership), on the helpers in ``common``. Each view starts from a case the user may
see (404 outside it), binds a form, calls a service, turns a refusal into a clear message, and redirects."""
