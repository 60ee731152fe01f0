"""Detection: from a call's segments to findings. See ``registry`` for how detectors combine,
``base`` for the contract every detector follows, and ``crosscall`` for the rules over the stored
call history."""

from pipeline.detect.base import Detector, Result
from pipeline.detect.registry import DetectionError, DetectorRegistry, detect_call, detect_calls

__all__ = ["Detector", "DetectionError", "DetectorRegistry", "Result", "detect_call", "detect_calls"]
