"""The councils' year end, for the year's last report card."""

from tests.councils.conftest import year_end  # noqa: F401  (a fixture shared with the councils)
