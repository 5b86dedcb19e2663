"""Helpers the tests share, imported as `tests.support.<module>` (the repository root is on the
import path through pytest's `pythonpath` setting):

- `api`: a small city in a fresh database, the app bound to it, a real uvicorn server, the roles
  of the access matrix;
- `browser`: the seeded demo database, a live server and headless Chromium (fixtures);
- `delivery`: local mail and SMS servers that record what they receive;
- `deployment`: a server started the way a deployment starts one (tests/security);
- `foundation`: a world of services over one database, for the integration tests;
- `metrics_recount`: quarter figures recounted from the event log;
- `placement_cases`, `recommend_scenarios`, `simulation_city`: generated scenarios and the rule
  checks the solver and simulation tests share.
"""
