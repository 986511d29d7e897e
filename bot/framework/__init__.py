"""The bot's own small framework: the router and its guards, the ports a
handler sees (Turn, Message), and what card actions keep in memory.
It imports no feature (tests/test_seam.py)."""
