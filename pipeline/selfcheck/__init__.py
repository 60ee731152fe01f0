"""The annual self-check (NIFA 12(二), 18(二); HN 8; GB 5.5.2.1): reproducible samples of
calls for review, the yearly report, and monitoring of the detectors against reviewer verdicts."""
