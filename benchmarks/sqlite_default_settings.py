"""The named baseline of bench_production_load.py: Homeward's settings with Django's default SQLite options
(rollback journal, deferred transactions, 5 s timeout), as before issue 24."""

from homeward.settings import *  # noqa: F403
from homeward.settings import DATABASES

DATABASES["default"]["OPTIONS"] = {}
