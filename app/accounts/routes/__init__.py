"""The HTTP routes of app.accounts, mounted by the faces under their own guards."""
