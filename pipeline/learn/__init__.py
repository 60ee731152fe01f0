"""Offline model work: the classifier's corpus and training, labels from reviewer verdicts, and
evaluating the detectors on labelled calls. Nothing here runs on a call being inspected."""
