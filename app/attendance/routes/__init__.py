"""The HTTP routes of app.attendance, mounted by the faces under their own guards."""
