"""The HTTP routes of app.audit, mounted by the faces under their own guards."""
