"""The HTTP routes of app.messaging, mounted by the faces under their own guards."""
