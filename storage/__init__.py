"""Domain, persistence and the outbox. Knows nothing of the Bot Framework."""
