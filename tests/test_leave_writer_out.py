"""benchmarks/leave_writer_out.py: the thresholds it runs with and the trade it prints for
findings of the classifier alone."""

from benchmarks.leave_writer_out import AloneCounts, in_force
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
