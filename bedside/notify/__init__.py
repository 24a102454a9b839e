"""Notify: who hears of what — the notification centre, email and push fan-out, preferences."""
