"""The pure domain: every lifecycle as a table, and the one refusal a user can cause.

Standard library only (tests/test_seam.py proves it): no database, no web, no
Teams. Use cases in `storage/` call `transition()` here before they write.
"""
