"""Template filters of the case pages."""
