"""The ways out of the process besides the Teams seam: the sender of outbox
rows, e-mail, Microsoft Graph, metrics, signed links and the web pages a
participant opens."""
