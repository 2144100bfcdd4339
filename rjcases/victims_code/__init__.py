"""The Victims' Code as the Code counts it: the clocks from the report, and complaints (Right 12).

``clocks`` (what each clock is, from which date, whether it applies, met or late) and ``models`` (complaints)
are casework domain (layer 1); ``views`` and ``urls`` are interfaces. The writes are
``rjcases.services.victims_code`` and ``rjcases.services.complaints``.
"""
