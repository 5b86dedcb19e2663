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

from api.web.coordinator import staff_page
from api.web.forms import Form, submitted
from api.web.sources import uow_factory
from api.web.staff_session import coordinator


@dataclass(frozen=True)
class RowPage:
    section: str  # "venues": the page /coordinator/venues and its template
    fallback_field: str  # where a refusal that names no field is shown
    messages: Callable[[Any], dict[tuple[str, str], str]]  # the refusals in the reader's words
    # The rows, the choices and the form's values for (request, actor, row being edited).
    context: Callable[[Request, Any, Any], dict[str, Any]]

    @property
    def path(self) -> str:
        return f"/coordinator/{self.section}"

    def page(
        self,
        request: Request,
        actor: Any,
        *,
        editing: Any = None,
        values: dict | None = None,
        errors: dict | None = None,
        notice: str = "",
        status: int = 200,
    ) -> Response:
        """The list and the form: empty, or `editing`'s, or as posted (`values`, `errors`)."""
        context = self.context(request, actor, editing)
        if values is not None:
            context["values"] = values
        return staff_page(
            request,
            f"coordinator/{self.section}.html",
            context
            | {
                "actor": actor,
                "section": self.section,
                "editing": editing,
                "errors": errors or {},
                "notice": notice,
            },
            status=status,
        )

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
