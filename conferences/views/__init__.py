"""Pages for the restorative work on a case: ``work`` (overview, preparation, the activity) and ``agreement``
(the agreement, monitoring, closure, feedback and wellbeing), on the helpers in ``common``. Each starts from a case
the user may see (404 outside it), checks how much of the work they may see (403 beyond it), binds a form, calls a
service and turns its refusal into a clear message."""
