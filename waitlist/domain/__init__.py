"""Pure domain rules: standard library only (no SQLModel, FastAPI or OR-Tools).

A unit test keeps it so (tests/unit/test_domain_imports.py).
"""
