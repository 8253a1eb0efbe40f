"""The HTTP routes of app.modules.sports, mounted by the faces under their own guards."""
