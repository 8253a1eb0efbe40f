"""The HTTP routes of app.family, mounted by the faces under their own guards."""
