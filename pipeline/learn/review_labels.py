"""Reviewer verdicts as labelled utterances, so that ``callqa train --with-reviews`` learns from them.

The newest review of a finding is its verdict (older ones are history):

* ``confirmed``: the finding's evidence is an example of its category;
* ``dismissed``: the evidence is a hard negative (label ``none``);
* ``missed``: a violation no detector found; the reviewer marked a time span, and the text of
  the call's agent (or unknown-speaker) segments overlapping it is an example of the category;
* ``uncertain``: not used.

Only categories the classifier learns are kept; call-level ones such as ``missing_disclosure``
have no utterance to learn from.
"""

from __future__ import annotations

import sqlite_utils

from pipeline.detect.classifier import CATEGORIES, NONE
from pipeline.learn.corpus import Utterance
from pipeline.store import latest_reviews


def _span_text(db: sqlite_utils.Database, call_id: str, start: float, end: float) -> str:
    rows = db.execute(
        'SELECT text FROM segments WHERE call_id = ? AND start < ? AND "end" > ? AND speaker != ? ORDER BY idx',
        [call_id, end, start, "customer"],
    ).fetchall()
    return "，".join(text.strip() for (text,) in rows if text.strip())


def reviewed_utterances(db: sqlite_utils.Database) -> list[Utterance]:
    """One labelled utterance per usable verdict, oldest review first."""
    utterances = []
    for review in latest_reviews(db):
        if review["category"] not in CATEGORIES:
            continue
        verdict = review["verdict"]
        if verdict == "confirmed":
            text, label = review["evidence"] or "", review["category"]
        elif verdict == "dismissed":
            text, label = review["evidence"] or "", NONE
        elif verdict == "missed" and review["start"] is not None and review["end"] is not None:
            text, label = _span_text(db, review["call_id"], review["start"], review["end"]), review["category"]
        else:
            continue
        if text.strip():
            utterances.append(
                Utterance(text=text.strip(), label=label, source=f"review:{verdict}", group=f"review-{review['id']}")
            )
    return utterances
