"""Accounts: logins, tokens and sessions, the second factor, one-time codes, staff files, and the
guards that read the caller.
"""
