"""Scenario and result files (`waitlist-scenario/1`, `waitlist-result/1`).

files (read, check, write), schema (the JSON Schemas), synthetic (generated cities for tests
and benchmarks).
"""
