"""The tamper-evident audit trail: append-only, hash-chained tables and the check that walks them.

The chained tables belong to their own apps (the transition log and the read access log to ``rjcases``, the
security log to ``accounts``); a model joins a chain by inheriting ``audit.chain.ChainedRow`` and naming its
fields in ``audit.specs.SPECS``. This app has no models, views, forms or services of its own: it writes
nothing but the chain fields of a row being inserted, and reads only to verify (``verify_audit``) and to
publish each chain's head (``publish_audit_heads``).
"""
