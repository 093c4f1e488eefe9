"""Notifications: the events worth telling the doctor, found in the store, and the outbox that
sends each once.
"""
