"""Security primitives: access tokens, password hashing, TOTP, one-time codes, the login throttle,
the principal.
"""
