"""The review queue: calls with findings, worst first, as a page and as JSON."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from pipeline.present.masking import default_masker
from pipeline.review import audit, auth, queries
from pipeline.review.web import call_url, current_user, get_db, may_unmask, templates

router = APIRouter()


def _page(request: Request, user: auth.User, db) -> queries.QueuePage:
    """The queue under the URL's filters; a transcript search is audited, and matches the
    masked text unless the user may unmask (so masked digits cannot be probed one by one)."""
    filters = queries.QueueFilters.from_params(request.query_params)
    page = queries.queue_page(db, filters, masked=not may_unmask(user), user=user.username)
    if filters.q:
        audit.record(db, user.username, "search", "queue", None, detail=f"{filters.q} ({page.total} calls)")
    return page


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    page = _page(request, user, db)
    filters = page.filters
    context = {
        "user": user,
        "page": page,
        "filters": filters,
        "agencies": queries.agencies(db),
        "samples": queries.samples(db),
        "call_url": lambda call_id, pos: call_url(call_id, filters, pos),
        "page_url": lambda n: "/?" + urlencode(filters.to_params(page=n)),
        "filter_url": lambda **changes: "/?" + urlencode(filters.to_params(page=1, **changes)),
        "export_url": lambda fmt: f"/export.{fmt}?" + urlencode(filters.to_params(page=1)),
        "sort_url": lambda column: "/?" + urlencode(filters.to_params(page=1, sort=column, dir=_flip(filters, column))),
        "scopes": queries.SCOPES,
    }
    return templates.TemplateResponse(request, "queue.html", context)


def _flip(filters: queries.QueueFilters, column: str) -> str:
    """A column header's link: sort by it, or reverse it when it already sorts the queue."""
    if filters.sort != column:
        return ""
    natural = queries.SORTS[column][1]
    current = filters.dir or natural
    return "asc" if current == "desc" else "desc"


@router.get("/api/queue")
def queue_json(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    page = _page(request, user, db)
    mask = default_masker().mask
    return {
        "total": page.total,
        "page": page.filters.page,
        "pages": page.pages,
        "category_counts": page.category_counts,
        "calls": [
            {
                **asdict(r),
                "call_id": mask(r.call_id),
                "agency": mask(r.agency),
                "agent_id": mask(r.agent_id),
                "snippet": mask(r.snippet),
            }
            for r in page.rows
        ],
    }
