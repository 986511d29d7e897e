"""Invitations: a participant's answer (in Teams or on the page),
their documents, and the messages and pages that carry them."""
