"""Detection: from a call's segments to findings. See ``registry`` for how detectors combine."""

from .registry import Detector, DetectorRegistry, detect_call, detect_calls

__all__ = ["Detector", "DetectorRegistry", "detect_call", "detect_calls"]
