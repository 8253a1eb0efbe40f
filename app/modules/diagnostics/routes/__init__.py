"""The HTTP routes of app.modules.diagnostics, mounted by the faces under their own guards."""
