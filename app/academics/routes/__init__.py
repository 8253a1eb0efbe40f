"""The HTTP routes of app.academics, mounted by the faces under their own guards."""
