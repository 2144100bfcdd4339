"""The case pages: ``sections`` (the case page's sections: summary, people, restorative work, letters), ``cases``
(the dashboard, the list, the choice of referral route, the timeline and what else hangs off the case page, moves,
the read access log), ``referral`` (the referral's question pages, check your answers and the
printable confirmation), ``people`` (adding and editing people, assessment, sign-off, consent, no longer taking
part), ``notes`` (adding a note, reading one in full, choosing whom it is shared with) and ``partnerships``
(moving a case to another partnership), on the helpers in ``common``. Each view starts from a case the user may
see (404 outside it), binds a form, calls a service, turns a refusal into a clear message, and redirects."""
