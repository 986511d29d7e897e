"""Participants (brukermedvirkere): the pool the priority team keeps, their
consent, suggestions and invitations on a request, and the pages a
participant opens from an e-mail."""
