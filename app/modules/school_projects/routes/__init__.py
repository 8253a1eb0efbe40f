"""The HTTP routes of app.modules.school_projects, mounted by the faces under their own guards."""
