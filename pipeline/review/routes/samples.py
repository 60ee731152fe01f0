"""Self-check samples: every sample's progress, one sample's calls with their review state,
and the next call of a sample still to review."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from pipeline.review import auth, samples
from pipeline.review.web import MAX_ID, current_user, get_db, templates

router = APIRouter()
MAX_SAMPLE = 10**9


def _progress(db, sample_id: int) -> samples.SampleProgress:
    found = samples.progress(db, sample_id)
    if found is None:
        raise HTTPException(status_code=404, detail="没有这次抽样")
    return found


def sample_call_url(sample_id: int, call_id: str) -> str:
    return "/call?" + urlencode({"id": call_id, "sample": str(sample_id)})


@router.get("/samples", response_class=HTMLResponse)
def sample_list(request: Request, user: auth.User = Depends(current_user), db=Depends(get_db)):
    context = {"user": user, "samples": samples.every_sample(db)}
    return templates.TemplateResponse(request, "samples.html", context)


@router.get("/samples/{sample_id}", response_class=HTMLResponse)
def sample_page(
    request: Request,
    sample_id: int = Path(..., ge=1, le=MAX_SAMPLE),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    sample = _progress(db, sample_id)
    following = sample.next_call()
    context = {
        "user": user,
        "sample": sample,
        "states": samples.STATE_LABELS,
        "call_url": lambda call_id: sample_call_url(sample_id, call_id),
        "next_url": following and sample_call_url(sample_id, following.call_id),
    }
    return templates.TemplateResponse(request, "sample.html", context)


@router.get("/samples/{sample_id}/next")
def next_in_sample(
    sample_id: int = Path(..., ge=1, le=MAX_SAMPLE),
    after: str = Query("", max_length=MAX_ID),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    """The next call of the sample still to review (after ``after``), or the sample's page
    when every call is reviewed."""
    following = _progress(db, sample_id).next_call(after or None)
    target = sample_call_url(sample_id, following.call_id) if following else f"/samples/{sample_id}"
    return RedirectResponse(target, status_code=303)
