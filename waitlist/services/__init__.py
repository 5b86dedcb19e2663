"""Use cases: plain functions taking a unit of work (and a command), one `with uow:` block and
an explicit commit. The API and the CLI call the same functions.

Stable entry points (each module documents its own):
- applications: apply, withdraw, erase, resume, choose_to_wait, get_application, find_by_token,
  hash_token,
  new_token
- offers: make_offer, offer_directly, accept_offer, decline_offer, revoke_offer, expire_offers,
  accept_seat (staff only, with a reason), send_deadline_notices
- groups: create_group, open_group, start_group, cancel_group, complete_group,
  create_leader, assign_leader
- queues: queue_of, standing, standing_by_token
- staff: create_staff, authenticate, hash_password, verify_password
- setup: load_reference_data
- scenario_export: database_scenario (the scenario file of the database as of a day)
- commands: NewApplication (what applying asks; the HTTP schema and the import translate into it)
- retry: retrying (re-runs a use case PostgreSQL aborted as a deadlock)
- expiry: run (the periodic job: expire overdue offers, queue deadline notices)
- outbox (HTTP layer's): delivering notices written by `uow.notify`
"""
