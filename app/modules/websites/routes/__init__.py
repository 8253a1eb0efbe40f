"""The HTTP routes of app.modules.websites, mounted by the faces under their own guards."""
