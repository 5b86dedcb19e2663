"""Adding and saving one of a district's rows (a leader, a venue) from a coordinator's page.

The pages differ in their fields and their use cases; what happens after a post is the same:
a redirect to the list with a notice when the change is made, else the page again with the
refusal next to its field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from api.web.forms import Form, submitted
from api.web.sources import uow_factory
from api.web.staff_session import coordinator


@dataclass(frozen=True)
class RowPage:
    path: str  # the list, like /coordinator/venues
    fallback_field: str  # where a refusal that names no field is shown
    messages: Callable[[Any], dict[tuple[str, str], str]]  # the refusals in the reader's words
    page: Callable[..., Response]  # draws the list and the form: (request, actor, **options)

    def listing(self, request: Request, added: str, saved: str) -> Response:
        """The list and an empty form, with what the last post did (`?done=`)."""
        notice = {"created": added, "saved": saved}.get(request.query_params.get("done", ""), "")
        return self.page(request, coordinator(request), notice=notice)

    def edit(self, request: Request, actor: Any, editing: Any) -> Response:
        """The list and the form for `editing`; back to the list when there is no such row."""
        if editing is None:
            return RedirectResponse(self.path, status_code=303)
        return self.page(request, actor, editing=editing)

    def create(
        self, request: Request, actor: Any, form: Form, data: dict, add: Callable
    ) -> Response:
        """`add(uow, actor, data)`, the row in the coordinator's district."""
        data = data | {"district": actor.district}
        return self._answer(request, actor, form, lambda uow: add(uow, actor, data), "created")

    def save(
        self, request: Request, actor: Any, form: Form, data: dict, change: Callable, editing: Any
    ) -> Response:
        """`change(uow, actor, row_id, data)` for the row being edited."""
        return self._answer(
            request,
            actor,
            form,
            lambda uow: change(uow, actor, editing.id, data),
            "saved",
            editing=editing,
        )

    def _answer(
        self, request: Request, actor: Any, form: Form, call: Callable, done: str, **options: Any
    ) -> Response:
        made = submitted(
            form,
            lambda: call(uow_factory(request, actor.actor)()),
            self.messages(form._),
            self.fallback_field,
            f"{self.path}?done={done}",
        )
        return made or self.page(
            request, actor, values=form.values, errors=form.errors, status=422, **options
        )
