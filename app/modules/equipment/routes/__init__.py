"""The HTTP routes of app.modules.equipment, mounted by the faces under their own guards."""
