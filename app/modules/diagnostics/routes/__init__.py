"""The HTTP routes of app.modules.diagnostics, mounted by the faces under their own guards."""

from app.modules.diagnostics.routes.pupil import diagnostics_view

__all__ = ["diagnostics_view"]
