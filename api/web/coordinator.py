"""Coordinators' pages: queues, groups, offers, placement rounds, recommendations."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/coordinator", include_in_schema=False)
