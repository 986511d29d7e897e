"""Reminders in personal chat: subscriptions, the admins' forms, RSVP and
"I have answered", the reminder messages and the calendar files."""
