"""The councils' year end, for the rollover's withdrawals."""

from tests.councils.conftest import year_end  # noqa: F401  (a fixture shared with the councils)
