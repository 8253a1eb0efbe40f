"""The HTTP routes of app.modules.trainings, mounted by the faces under their own guards."""
