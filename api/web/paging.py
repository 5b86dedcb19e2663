"""Long lists on the coordinator's pages, page by page: `?page=N` (1 when absent), the other
parameters (filters, order) kept in the links to the previous and next page, and a page
number that is not a page named as the error of the field `page`.

    number = page_number(form)                      # None: not a page number (form.errors)
    rows, total = <the use case>(limit=PER_PAGE, offset=offset(number))
    pages = Pages.of(form, request, number, total)  # page beyond the last: form.errors
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

from api.web.forms import Form

PER_PAGE = 50
MAX_PAGE = 10_000


def page_number(form: Form) -> int | None:
    """The page asked for: 1 when none is; None (and the form's error) when not a page."""
    if not str(form.data.get("page") or "").strip():
        return 1
    return form.integer("page", low=1, high=MAX_PAGE)


def offset(page: int | None, per_page: int = PER_PAGE) -> int:
    return ((page or 1) - 1) * per_page


@dataclass(frozen=True)
class Pages:
    page: int
    pages: int
    total: int
    per_page: int
    shown: int  # rows on this page
    kept: tuple[tuple[str, str], ...]  # the other parameters, for the links

    @classmethod
    def of(
        cls,
        form: Form,
        request: Request,
        page: int | None,
        total: int,
        shown: int,
        per_page: int = PER_PAGE,
    ) -> Pages:
        pages = max(1, -(-total // per_page))
        if page is not None and page > pages:
            form.fail(
                "page",
                form._("There is no page %(page)d: the list has %(pages)d.")
                % {"page": page, "pages": pages},
            )
        kept = tuple((k, v) for k, v in request.query_params.multi_items() if k != "page" and v)
        return cls(min(page or 1, pages), pages, total, per_page, shown, kept)

    @property
    def first(self) -> int:
        """The number of the first row shown (1 on the first page)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + self.shown - 1

    def href(self, page: int) -> str:
        return "?" + urlencode((*self.kept, ("page", str(page))))
