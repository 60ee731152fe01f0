"""What pipeline/detect/ may depend on, and how an explanation becomes the stored sentence."""

import ast
from pathlib import Path

from pipeline.present.explanation import Explanation, render

DETECT = Path(__file__).resolve().parent.parent / "pipeline" / "detect"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved against the package."""
    package = ["pipeline", *path.relative_to(DETECT.parent.parent).parent.parts[1:]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_of_detect_imports_the_store_or_offline_model_work():
    modules = sorted(DETECT.rglob("*.py"))
    assert len(modules) > 20
    for path in modules:
        imported = imported_modules(path)
        assert not {m for m in imported if m == "pipeline.store" or m.startswith("pipeline.store.")}, path
        assert not {m for m in imported if m.startswith(("pipeline.learn", "sqlite_utils"))}, path


def test_the_explanation_is_rendered_in_one_shape():
    lexicon = Explanation(
        detector="lexicon:threat",
        text="坐席说“我们明天就上门”：上门",
        matched=("上门",),
        repairs=("尚门→上门 (shang men)",),
        by_sound=("上门",),
        cancels_checked=("否定",),
        score_parts=(("rule", 0.9), ("homophone", 0.85)),
    )
    assert (
        render([lexicon])
        == "坐席说“我们明天就上门”：上门（命中词: 上门；拼音匹配 尚门→上门 (shang men)；按读音匹配规则“上门”）"
    )
    classifier = Explanation(detector="classifier", text="分类器判断为威胁恐吓 / 侮辱谩骂 (概率 0.93)")
    assert (
        render([classifier.guessed("坐席话术“请问是”")])
        == "分类器判断为威胁恐吓 / 侮辱谩骂 (概率 0.93)；说话人由话术推断（坐席话术“请问是”）"
    )
    assert render([classifier.guessed(), lexicon]).count("；说话人由话术推断") == 1
