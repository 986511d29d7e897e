"""The features: plain async handlers by context, each registered on a
router of its own. A feature imports no other feature (tests/test_seam.py)."""
