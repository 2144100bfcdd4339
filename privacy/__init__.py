"""Data protection of the casework: the retention schedule (reference data an administrator edits, with
history), the managers' retention review queue, and the non-crime hate incident record's recording duties.
Anonymisation and subject access come later and will live here too."""
