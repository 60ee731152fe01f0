import pytest
from console_fixtures import add_call, finding_id

from pipeline.review import queries
from pipeline.review.queries import QueueFilters, queue_page


@pytest.fixture
def queue_db(db):
    add_call(db, "low", "2026-03-01T10:00:00+08:00", [("exaggeration", "low", 0.9)])
    add_call(db, "high-old", "2026-03-01T09:00:00+08:00", [("threat", "high", 0.8)])
    add_call(db, "high-new", "2026-03-05T09:00:00+08:00", [("threat", "high", 0.8), ("impersonation", "medium", 0.5)])
    add_call(
        db,
        "high-best",
        "2026-03-02T09:00:00+08:00",
        [("threat", "high", 0.95)],
        agency="乙机构",
        agent="B2",
        text="我们会派人上门",
    )
    add_call(db, "clean", "2026-03-03T09:00:00+08:00")
    return db


def ids(page):
    return [r.call_id for r in page.rows]


def test_queue_ranks_by_severity_weighted_findings_then_worst_then_score(queue_db):
    page = queue_page(queue_db, QueueFilters())
    # high + medium (4 + 2) outweighs one high (4); equal weights go by score
    assert ids(page) == ["high-new", "high-best", "high-old", "low"]
    assert [r.weight for r in page.rows] == [6, 4, 4, 1]
    assert page.total == 4
    assert page.category_counts == {"threat": 3, "impersonation": 1, "exaggeration": 1}  # calls, as the total
    assert page.rows[0].findings == 2 and page.rows[0].categories == ["impersonation", "threat"]
    assert page.rows[1].snippet == "我们会派人上门"


def test_queue_sorts_by_a_column_either_way(queue_db):
    assert ids(queue_page(queue_db, QueueFilters(sort="started_at"))) == ["high-new", "high-best", "low", "high-old"]
    oldest = queue_page(queue_db, QueueFilters(sort="started_at", dir="asc"))
    assert ids(oldest) == ["high-old", "low", "high-best", "high-new"]
    assert ids(queue_page(queue_db, QueueFilters(sort="agency")))[0] == "high-best"  # 乙 sorts before 甲
    assert QueueFilters.from_params({"sort": "c.id; DROP TABLE calls", "dir": "sideways"}).sort == ""


def test_filters(queue_db):
    assert ids(queue_page(queue_db, QueueFilters(category="impersonation"))) == ["high-new"]
    assert ids(queue_page(queue_db, QueueFilters(agency="乙机构"))) == ["high-best"]
    assert ids(queue_page(queue_db, QueueFilters(agent="B2"))) == ["high-best"]
    dated = QueueFilters(date_from="2026-03-01", date_to="2026-03-01")
    assert ids(queue_page(queue_db, dated)) == ["high-old", "low"]
    assert ids(queue_page(queue_db, QueueFilters(q="上门"))) == ["high-best"]


def test_category_counts_ignore_the_category_filter(queue_db):
    page = queue_page(queue_db, QueueFilters(category="threat"))
    assert page.total == 3 and page.category_counts["exaggeration"] == 1


def test_status_follows_the_newest_review(queue_db):
    threat = finding_id(queue_db, "high-best", "threat")
    queries.record_verdict(queue_db, threat, "uncertain", "wang")
    assert "high-best" in ids(queue_page(queue_db, QueueFilters()))  # uncertain stays open
    assert ids(queue_page(queue_db, QueueFilters(status="uncertain"))) == ["high-best"]
    queries.record_verdict(queue_db, threat, "confirmed", "wang", "明确")
    assert "high-best" not in ids(queue_page(queue_db, QueueFilters()))
    assert ids(queue_page(queue_db, QueueFilters(status="confirmed"))) == ["high-best"]
    assert ids(queue_page(queue_db, QueueFilters(status="uncertain"))) == []
    view = queries.call_view(queue_db, "high-best")
    assert [r.verdict for r in view.findings[0].history] == ["confirmed", "uncertain"]
    assert view.findings[0].verdict == "confirmed"


def test_sample_lists_every_sampled_call_even_without_findings(queue_db):
    with queue_db.atomic():
        queue_db["samples"].insert(
            {"id": 1, "created_at": "2026-03-10", "seed": 1, "size": 2, "parameters": "{}", "population": "{}"}
        )
        queue_db["sample_calls"].insert_all(
            [
                {"sample_id": 1, "call_id": "clean", "stratum": "甲", "position": 0},
                {"sample_id": 1, "call_id": "low", "stratum": "甲", "position": 1},
            ]
        )
    everything = QueueFilters(sample_id="1", status="all")
    assert sorted(ids(queue_page(queue_db, everything))) == ["clean", "low"]
    assert ids(queue_page(queue_db, QueueFilters(sample_id="1"))) == ["low"]
    assert ids(queue_page(queue_db, QueueFilters(sample_id="1", status="all", category="threat"))) == []


def test_search_with_status_all_finds_calls_without_findings(queue_db):
    assert ids(queue_page(queue_db, QueueFilters(q="甲机构"))) == ["high-new", "high-old", "low"]
    assert sorted(ids(queue_page(queue_db, QueueFilters(q="甲机构", status="all")))) == [
        "clean",
        "high-new",
        "high-old",
        "low",
    ]


def test_pages(queue_db):
    page = queue_page(queue_db, QueueFilters(page=2), page_size=3)
    assert ids(page) == ["low"] and page.total == 4 and page.pages == 2
    beyond = queue_page(queue_db, QueueFilters(page=9), page_size=3)
    assert ids(beyond) == [] and beyond.total == 4


def test_neighbours_survive_the_current_call_leaving_the_queue(queue_db):
    filters = QueueFilters()
    assert queries.neighbours(queue_db, filters, "high-best", 1) == (("high-new", 0), ("high-old", 2))
    queries.record_verdict(queue_db, finding_id(queue_db, "high-best", "threat"), "dismissed", "wang")
    # high-best left the open queue; the call now at its position comes next
    assert queries.neighbours(queue_db, filters, "high-best", 1) == (("high-new", 0), ("high-old", 1))


def test_previous_goes_back_to_the_call_that_left_the_queue(queue_db):
    filters = QueueFilters()
    queries.record_verdict(queue_db, finding_id(queue_db, "high-new", "threat"), "confirmed", "wang")
    queries.record_verdict(queue_db, finding_id(queue_db, "high-new", "impersonation"), "confirmed", "wang")
    # high-new (position 0) left the queue; "next" took the reviewer to high-best, now first
    assert queries.neighbours(queue_db, filters, "high-best", 1) == (None, ("high-old", 1))
    back = queries.neighbours(queue_db, filters, "high-best", 1, came_from="high-new")
    assert back == (("high-new", 0), ("high-old", 1))
    # and from high-new at that position, "next" is high-best again
    assert queries.neighbours(queue_db, filters, "high-new", 0)[1] == ("high-best", 0)
    # a call reached with "next" from the call still before it goes back to that one
    assert queries.neighbours(queue_db, filters, "high-old", 1, came_from="high-best")[0] == ("high-best", 0)


def test_filters_from_untrusted_params():
    filters = QueueFilters.from_params({"status": "bogus", "date_from": "2026-13-01", "page": "-3", "sample_id": "x"})
    assert (filters.status, filters.date_from, filters.page, filters.sample_id) == ("open", "", 1, "")
    assert QueueFilters.from_params({"category": "threat", "page": "2"}).to_params() == {
        "category": "threat",
        "status": "open",
        "page": "2",
    }


def test_missed_finding_and_export_rows(queue_db):
    queries.record_missed(queue_db, "clean", "threat", 0.5, 2.0, "wang", "机器漏了")
    queries.record_verdict(queue_db, finding_id(queue_db, "low", "exaggeration"), "dismissed", "li", "如实告知")
    rows = queries.export_rows(queue_db)
    assert len(rows) == 6
    missed = rows[-1]
    assert (missed.call_id, missed.verdict, missed.category, missed.evidence) == (
        "clean",
        "missed",
        "threat",
        "您好，我是甲机构的",
    )
    dismissed = [r for r in rows if r.verdict == "dismissed"]
    assert [(r.call_id, r.reviewer, r.comment) for r in dismissed] == [("low", "li", "如实告知")]
    assert [r.call_id for r in queries.export_rows(queue_db, status="dismissed")] == ["low"]


def test_a_whole_call_check_is_no_export_row(queue_db):
    before = queries.export_rows(queue_db)
    queries.record_checked(queue_db, "clean", "wang", "听完无违规")
    assert queries.export_rows(queue_db) == before
    view = queries.call_view(queue_db, "clean")
    assert [(r.verdict, r.reviewer) for r in view.checks] == [("checked", "wang")] and view.missed == []


@pytest.mark.parametrize(
    "args, message",
    [
        (("nope", "threat", 0, 1), "no call"),
        (("clean", "", 0, 1), "needs a category"),
        (("clean", "threat", 5, 1), "not valid"),
    ],
)
def test_bad_missed_findings_are_refused(queue_db, args, message):
    with pytest.raises(queries.ReviewError, match=message):
        queries.record_missed(queue_db, *args, reviewer="wang")


def test_bad_verdicts_are_refused(queue_db):
    with pytest.raises(queries.ReviewError, match="verdict must be one of"):
        queries.record_verdict(queue_db, 1, "missed", "wang")
    with pytest.raises(queries.ReviewError, match="no finding 999"):
        queries.record_verdict(queue_db, 999, "confirmed", "wang")


def test_the_ready_queue_agrees_with_the_findings_after_every_kind_of_write(queue_db):
    """store's ready rows (kept by triggers) against the same views computed from the findings."""

    def live(filters):
        sql = queries._matched_calls_sql(queue_db, filters, by_category=True, masked=True)
        return queue_db.execute(f"{sql.text} {queries.queue_order(filters)}", sql.params).fetchall()

    def ready(filters):
        sql = queries._matched_calls_sql(
            queue_db, filters, by_category=True, masked=True, ready=True, select=queries.READY_SELECT
        )
        rows = queue_db.execute(f"{sql.text} {queries.queue_order(filters)}", sql.params).fetchall()
        return [(*r[:10], ",".join(sorted(r[10].split(",")))) for r in rows]

    def agree():
        for filters in (
            QueueFilters(),
            QueueFilters(agency="甲机构"),
            QueueFilters(sort="started_at", dir="asc"),
            QueueFilters(category="threat"),  # call_queue_categories
            QueueFilters(category="impersonation", agency="甲机构"),
            QueueFilters(status="all"),  # call_findings
            QueueFilters(status="all", sort="findings", dir="asc"),
        ):
            assert queries._ready(filters)
            assert ready(filters) == [(*r[:10], ",".join(sorted(r[10].split(",")))) for r in live(filters)], filters

    agree()
    threat = finding_id(queue_db, "high-new", "threat")
    queries.record_verdict(queue_db, threat, "uncertain", "wang")  # still open
    agree()
    queries.record_verdict(queue_db, threat, "dismissed", "wang")
    agree()
    queue_db.execute("UPDATE findings SET severity = 'low' WHERE call_id = 'high-old'")
    agree()
    queue_db.execute("DELETE FROM findings WHERE call_id = 'low'")  # redetect removes
    agree()
    add_call(queue_db, "later", "2026-03-09T09:00:00+08:00", [("threat", "critical", 0.5)])
    agree()
    assert queue_page(queue_db, QueueFilters()).rows[0].call_id == "later"


def test_the_ready_queue_weighs_severities_as_the_labels_do(queue_db):
    from pipeline.store import SCHEMA

    for name, weight in queries.SEVERITY_WEIGHT.items():
        assert f"WHEN '{name}' THEN {weight} " in SCHEMA.replace("END", " END")
    for name, rank in queries.SEVERITY_RANK.items():
        assert f"WHEN '{name}' THEN {rank} " in SCHEMA.replace("END", " END")


def test_a_database_from_before_the_ready_queue_gets_it_filled(tmp_path):
    from pipeline import store

    db = store.open_db(tmp_path / "old.db")
    add_call(db, "x", "2026-03-01T10:00:00+08:00", [("threat", "high", 0.9), ("threat", "low", 0.2)])
    db.execute("DELETE FROM call_queue")  # as in a database made before call_queue existed
    backfill = next(m for m in store.MIGRATIONS if "INTO call_queue" in m)
    db.execute(backfill)  # the migration such a database runs on its next open
    assert db.execute("SELECT call_id, findings, weight, rank FROM call_queue").fetchall() == [("x", 2, 5, 3)]


def test_a_database_from_before_finding_spans_keeps_its_findings_shown_whole(tmp_path):
    from pipeline import store

    path = tmp_path / "old.db"
    db = store.open_db(path)
    add_call(db, "x", "2026-03-01T10:00:00+08:00", [("threat", "high", 0.9)], text="你再不还钱我们就上门")
    db.conn.execute("ALTER TABLE findings DROP COLUMN span_start")
    db.conn.execute("ALTER TABLE findings DROP COLUMN span_end")
    db.conn.execute(
        f"PRAGMA user_version = {store.MIGRATIONS.index('ALTER TABLE findings ADD COLUMN span_start INTEGER')}"
    )
    db.close()
    again = store.open_db(path)
    assert {"span_start", "span_end"} <= set(again["findings"].columns_dict)
    [finding] = queries.call_view(again, "x").findings
    assert finding.span is None and finding.evidence == "你再不还钱我们就上门"  # the whole line, as before
    assert queue_page(again, QueueFilters()).rows[0].snippet_span is None


PERSONAL = [
    "张先生您好，我是张伟的同事，电话13812345678，卡号6222 0212 3456 7890 123",
    "身份证11010519491231002X，回电打一三八一二三四五六七八，或者０１０－１２３４５６７８",
    "王芳女士，您的借款已经逾期三个月了，打给我13912…",
]


def test_a_word_masking_cannot_hide_is_found_in_the_masked_text_wherever_it_is_in_the_raw_one():
    """The search skips masking for such words (queries._transcript_search): check the claim
    on every substring of texts full of personal data."""
    from pipeline.present.masking import default_masker

    masker = default_masker()
    for text in PERSONAL:
        masked = masker.mask(text)
        substrings = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + 8) + 1)}
        safe = [term for term in substrings if not masker.may_hide(term)]
        assert safe and all(term in masked for term in safe)
    assert masker.may_hide("张伟") and masker.may_hide("138") and masker.may_hide("*") and masker.may_hide("三八")
    assert masker.may_hide("官先") and masker.may_hide("叫张") and not masker.may_hide("上门")  # 上官 is a surname


def test_a_reviewer_searching_finds_words_but_not_masked_names(db):
    add_call(db, "named", "2026-03-01T10:00:00+08:00", [("threat", "high", 0.9)], text="我是张伟的同事，你让他还钱")
    reviewer = QueueFilters.from_params({"status": "all", "q": "同事"})
    assert ids(queue_page(db, reviewer)) == ["named"]
    for probe in ("张伟", "张伟的同事"):
        assert ids(queue_page(db, QueueFilters(status="all", q=probe))) == []
        assert ids(queue_page(db, QueueFilters(status="all", q=probe), masked=False)) == ["named"]


def test_a_database_from_before_the_category_queue_gets_it_filled_and_kept(tmp_path):
    from pipeline import store

    path = tmp_path / "old.db"
    db = store.open_db(path)
    add_call(db, "x", "2026-03-01T10:00:00+08:00", [("threat", "high", 0.9), ("impersonation", "low", 0.4)])
    db.execute("DELETE FROM call_queue_categories")
    db.execute("DELETE FROM call_findings")
    db.execute("DROP TRIGGER call_queue_reviewed")  # and the others kept only call_queue
    first = next(i for i, m in enumerate(store.MIGRATIONS) if "INTO call_queue_categories" in m)
    db.conn.execute(f"PRAGMA user_version = {first}")
    db.close()
    again = store.open_db(path)
    assert ids(queue_page(again, QueueFilters(category="impersonation"))) == ["x"]
    assert ids(queue_page(again, QueueFilters(status="all"))) == ["x"]
    queries.record_verdict(again, finding_id(again, "x", "impersonation"), "dismissed", "wang")
    assert ids(queue_page(again, QueueFilters(category="impersonation"))) == []
