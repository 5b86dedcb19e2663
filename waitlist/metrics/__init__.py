"""Equality monitoring: waiting-time metrics per district x programme x period, with small
cells suppressed. Pure Python on plain records (`records`); only `load` touches a database.
Definitions: docs/metrics.md."""
