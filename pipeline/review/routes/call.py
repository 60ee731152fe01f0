"""One call: its page, its recording, and an admin's unmasking of its personal data."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from pipeline.review import audit, auth, media, queries, samples, team
from pipeline.review.routes.samples import sample_call_url
from pipeline.review.transcript import guessed_roles, transcript_lines
from pipeline.review.web import (
    CSRF,
    MAX_ID,
    MAX_TEXT,
    call_url,
    current_user,
    get_db,
    masker_for,
    may_unmask,
    position,
    safe_next,
    templates,
)

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/call", response_class=HTMLResponse)
def call_page(
    request: Request,
    id: str = Query(..., max_length=MAX_ID),
    pos: str = Query("", max_length=20),
    came_from: str = Query("", alias="from", max_length=MAX_ID),
    sample: str = Query("", max_length=12),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    try:
        call = queries.call_view(db, id)
    except KeyError:
        audit.record(db, user.username, "view_call", "call", id, result="failed", detail="no such call")
        raise HTTPException(status_code=404, detail="没有这通电话") from None
    masker = masker_for(request, user, id)
    audit.record(db, user.username, "view_call", "call", id, detail=None if masker else "unmasked")
    filters = queries.QueueFilters.from_params(request.query_params)
    here = position(pos)
    previous = following = None
    if here is not None:
        known = came_from and db.execute("SELECT 1 FROM calls WHERE id = ?", [came_from]).fetchone()
        previous, following = queries.neighbours(
            db,
            filters,
            id,
            here,
            masked=not may_unmask(user),
            user=user.username,
            came_from=came_from if known else None,
        )
    audio = media.source_file(call.source_path, request.app.state.db_path)
    in_sample = samples.progress(db, int(sample)) if position(sample) else None
    if in_sample is not None:  # worked as part of a sample: n goes to its next unreviewed call
        following_todo = in_sample.next_call(id)
        previous = None
        following = None
        sample_next = (
            following_todo and following_todo.call_id != id and sample_call_url(in_sample.id, following_todo.call_id)
        )
    context = {
        "user": user,
        "call": call,
        "lines": transcript_lines(call, masker, guessed_roles(call)),
        "finding_groups": queries.findings_by_line(call),
        "mask": masker.mask if masker else (lambda text: text),
        "unmasked": masker is None,
        "has_audio": audio is not None,
        "queue_url": "/?" + urlencode(filters.to_params()),
        "previous_url": previous and call_url(previous[0], filters, previous[1]),
        "next_url": sample_next if in_sample else following and call_url(following[0], filters, following[1], id),
        "here_url": sample_call_url(in_sample.id, id) if in_sample else call_url(id, filters, here),
        "sample": in_sample,
        # after 整通复核 in a sample, on to its next call still to review
        "checked_back": f"/samples/{in_sample.id}/next?" + urlencode({"after": id}) if in_sample else None,
        "holder": team.holder(db, id),
        "reviewers": team.reviewers(db) if user.is_admin else [],
    }
    return templates.TemplateResponse(request, "call.html", context)


@router.get("/findings/{finding_id}")
def finding_link(
    finding_id: int = Path(..., ge=1, le=2**63 - 1), user: auth.User = Depends(current_user), db=Depends(get_db)
):
    """An export's link to a finding: its call's page (the link itself holds no call id)."""
    row = db.execute("SELECT call_id FROM findings WHERE id = ?", [finding_id]).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="没有这条发现（可能已重新检测）")
    return RedirectResponse("/call?" + urlencode({"id": row[0]}), status_code=303)


@router.get("/call/audio")
def call_audio(
    request: Request,
    id: str = Query(..., max_length=MAX_ID),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    row = db.execute("SELECT source_path, sha256 FROM calls WHERE id = ?", [id]).fetchone()
    path = row and media.source_file(row[0], request.app.state.db_path)
    if not path:
        raise HTTPException(status_code=404, detail="没有这通电话的录音文件")
    try:
        playable = media.playable_file(path, request.app.state.audio_cache, row[1])
    except media.AudioError as exc:
        log.error("call %s: %s", id, exc)  # the details stay in the server's log
        audit.record(db, user.username, "play_audio", "call", id, result="failed", detail="conversion failed")
        raise HTTPException(status_code=500, detail="录音无法转换为可播放的格式") from exc
    # Browsers fetch a recording in several Range requests; the first one is recorded.
    if request.headers.get("range", "bytes=0-").startswith("bytes=0-"):
        audit.record(db, user.username, "play_audio", "call", id)
    # FileResponse answers Range requests itself (206, Accept-Ranges, Content-Range).
    return FileResponse(playable, media_type=media.media_type(playable))


@router.post("/call/unmask", dependencies=CSRF)
def unmask(
    request: Request,
    call_id: str = Form(..., max_length=MAX_ID),
    back: str = Form("/", max_length=MAX_TEXT),
    user: auth.User = Depends(current_user),
    db=Depends(get_db),
):
    if not may_unmask(user):
        audit.record(db, user.username, "unmask", "call", call_id, result="denied")
        raise HTTPException(status_code=403, detail="只有管理员可以查看未遮盖的个人信息")
    if db.execute("SELECT 1 FROM calls WHERE id = ?", [call_id]).fetchone() is None:
        audit.record(db, user.username, "unmask", "call", call_id, result="failed", detail="no such call")
        raise HTTPException(status_code=404, detail="没有这通电话")
    request.session["unmasked"] = call_id  # one call at a time
    audit.record(db, user.username, "unmask", "call", call_id)
    return RedirectResponse(safe_next(back), status_code=303)


@router.post("/call/mask", dependencies=CSRF)
def mask_again(request: Request, back: str = Form("/", max_length=MAX_TEXT), user: auth.User = Depends(current_user)):
    request.session.pop("unmasked", None)
    return RedirectResponse(safe_next(back), status_code=303)
