"""Reading HTML forms: raw values kept for redisplay, problems collected per field.

This is only about the shape of what was typed (present, not too long, a number, one of the
options offered). Whether it is allowed (a child's age, a seat, a state change) is for the
services to say; their DomainError names the field and `field_error` puts it next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date as _date
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from waitlist.domain.errors import DomainError
from waitlist.domain.values import YEAR_MONTH, is_contact

MAX_TEXT = 200


async def posted_form(request: Request) -> FormData:
    """The request's form, read on the event loop (Starlette keeps it for the request), so the
    handler that uses it can be a plain function run in the thread pool."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


class Form:
    """One submitted form: `values` to redisplay, `errors` by field name, in page order."""

    def __init__(
        self,
        data: FormData,
        gettext: Callable[[str], str],
        missing: dict[str, str] | None = None,
    ) -> None:
        self.data = data
        self._ = gettext
        self.values: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        # What to say when a field is left empty, naming the field (the gov.uk pattern).
        self.missing = missing or {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def text(self, name: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
        raw = self.data.get(name)
        value = raw.strip() if isinstance(raw, str) else ""
        self.values[name] = value[: max_length * 4]  # keep what was typed, within reason
        if not value:
            if required:
                self.fail(name, self.missing.get(name) or self._("This field is required."))
        elif len(value) > max_length:
            self.fail(
                name,
                self._("This is too long: at most %(max)d characters.") % {"max": max_length},
            )
        return value

    def choice(self, name: str, options: Iterable[str], *, required: bool = True) -> str:
        value = self.text(name, required=required, max_length=64)
        if value and value not in set(options):
            self.fail(name, self._("Choose one of the options in the list."))
        return value

    def choices(self, name: str, options: Iterable[str], *, at_least: int = 0) -> list[str]:
        allowed = set(options)
        picked = [v for v in self.data.getlist(name) if isinstance(v, str)]
        kept = [v for v in picked if v in allowed]
        self.values[name] = kept
        if any(v not in allowed for v in picked):
            self.fail(name, self._("Choose among the options shown."))
        elif len(kept) < at_least:
            self.fail(name, self.missing.get(name) or self._("Choose at least one."))
        return list(kept)

    def year_month(self, name: str) -> str:
        value = self.text(name, max_length=40)
        if value and name not in self.errors and not YEAR_MONTH.match(value):
            self.fail(name, self._("Write the year and month as numbers, like 2019-05."))
        return value

    def date(self, name: str) -> str:
        """An ISO date (YYYY-MM-DD) that exists in the calendar."""
        value = self.text(name, max_length=10)
        if value and name not in self.errors:
            try:
                _date.fromisoformat(value)
            except ValueError:
                self.fail(name, self._("Write a real date as year-month-day, like 2026-03-16."))
        return value

    def integer(self, name: str, *, low: int, high: int, required: bool = True) -> int | None:
        value = self.text(name, required=required, max_length=40)
        if not value or name in self.errors:
            return None
        # ASCII digits only: str.isdigit() and int() also take other scripts' digits.
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            message = self._("Enter a whole number from %(low)d to %(high)d.")
            self.fail(name, message % {"low": low, "high": high})
            return None
        return int(value)

    def contact(self, name: str) -> str:
        value = self.text(name, required=False)
        if value and name not in self.errors and not is_contact(value):
            self.fail(name, self._("Enter an e-mail address or a phone number, or leave it empty."))
        return value

    @property
    def ok(self) -> bool:
        return not self.errors


def field_error(
    form: Form, exc: DomainError, messages: dict[tuple[str, str], str], fallback_field: str
) -> None:
    """Put a service's refusal next to the field it names, in the page's language when we
    have a message for it (else the service's own words)."""
    field = (exc.field or fallback_field).split(".")[0]
    text = messages.get((field, exc.code)) or messages.get((field, "*")) or exc.message
    form.fail(field, text)


def submitted(
    form: Form,
    call: Callable[[], object],
    messages: dict[tuple[str, str], str],
    fallback_field: str,
    done_url: str,
) -> Response | None:
    """When the form is well-formed, make the change (`call`): a redirect to `done_url` when it
    is made, else None with the service's refusal next to its field (the page shows it again)."""
    if form.ok:
        try:
            call()
        except DomainError as exc:
            field_error(form, exc, messages, fallback_field)
        else:
            return RedirectResponse(done_url, status_code=303)
    return None
