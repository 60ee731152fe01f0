"""benchmarks/leave_writer_out.py: the thresholds it runs with and the trade it prints for
findings of the classifier alone."""

from benchmarks.leave_writer_out import AloneCounts, held_out_together, in_force
from pipeline.learn.evaluate import Counts


def test_the_settings_thresholds_win_over_the_model_files_where_given():
    card = {"threat": 0.509, "impersonation": 0.871, "exaggeration": 0.503}
    settings = {"exaggeration": 0.7, "impersonation": None}  # None: the file's value
    assert in_force(card, settings) == {"threat": 0.509, "impersonation": 0.871, "exaggeration": 0.7}


def test_the_trade_shows_what_a_higher_alone_threshold_keeps(capsys):
    alone = AloneCounts()
    # calls flagged for exaggeration by the model alone: labelled or not, with its best probability
    alone.decided["exaggeration"] = [(True, 0.95), (True, 0.65), (False, 0.62), (False, 0.85)]
    pooled = {"exaggeration": Counts(tp=10, fp=2, fn=0)}  # the two false calls are both alone ones
    alone.print(pooled, {"exaggeration": 0.6})
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["exaggeration", "0.600", "2", "2", "0.909", "0.889"] in rows  # F1 without them: tp 8 fp 0 fn 2
    assert ["0.700", "1", "1", "0.900"] in rows  # tp 9 fp 1 fn 1
    assert ["0.900", "1", "0", "0.947"] in rows  # tp 9 fp 0 fn 1


def test_grouped_folds_hold_out_every_writer_once_with_the_same_groups_for_a_seed():
    writers = [f"w{i}" for i in range(1, 12)]
    held_out = held_out_together(writers, 4, seed=0)
    groups = {frozenset(g) for g in held_out.values()}
    assert len(groups) == 4
    assert sorted(w for g in groups for w in g) == sorted(writers)  # each writer in exactly one group
    assert all(w in held_out[w] for w in writers)
    assert held_out == held_out_together(writers, 4, seed=0)


def test_without_folds_each_writer_is_held_out_alone():
    assert held_out_together(["w1", "w2", "w3"], None, seed=0) == {"w1": {"w1"}, "w2": {"w2"}, "w3": {"w3"}}
