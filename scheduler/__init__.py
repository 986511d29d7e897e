"""Timed work: the tick that drains the outbox and plans due reminders, cron jobs."""
