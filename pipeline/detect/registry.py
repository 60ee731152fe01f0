"""The list of detectors and how their findings are merged (Presidio's RecognizerRegistry)."""

from __future__ import annotations

from typing import Any

from ..calls import Call, Finding


class Detector:
    """A detector reads one call and returns findings, each with a score and an explanation."""

    name: str = "detector"

    def analyze(self, call: Call) -> list[Finding]:
        raise NotImplementedError


class DetectorRegistry:
    def __init__(self, detectors: list[Detector]):
        self.detectors = detectors

    def analyze(self, call: Call) -> list[Finding]:
        findings: list[Finding] = []
        for detector in self.detectors:
            findings.extend(detector.analyze(call))
        return findings


def default_registry(config: dict[str, Any] | None = None) -> DetectorRegistry:
    return DetectorRegistry([])


def detect_call(call: Call, config: dict[str, Any] | None = None) -> list[Finding]:
    return default_registry(config).analyze(call)
