"""One APIRouter per resource, all under /api/v1."""
