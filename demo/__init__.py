"""Synthetic demo data for ``manage.py seed_demo``.

``plan`` turns (seed, number of cases) into case plans: who refers what, and the story of each case as
a list of dated steps. ``walk`` carries a plan out through the real services on a simulated clock;
``bulk`` writes the same rows, transitions and history in bulk for large runs. Every person, address
and phone number is invented.
"""
