"""Notifications: the in-portal inbox, each user's channel choices, and ``notify()`` that delivers a templated message.

Reminders (liaison.reminders) deliver through the same rendering and channels, exactly once per reminder row.
"""
