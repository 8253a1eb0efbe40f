"""The HTTP routes of app.assessment, mounted by the faces under their own guards."""
