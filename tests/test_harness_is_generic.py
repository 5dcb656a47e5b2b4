"""The harness knows nothing of the SEC pipeline: another pipeline reuses it unchanged."""

from __future__ import annotations

import re
from pathlib import Path

HARNESS = Path(__file__).resolve().parent.parent / "harness"
# Words of the SEC pipeline: its domain, its apps, its stand-in and its settings.
PIPELINE_WORDS = re.compile(
    r"\bsec\b|sec[-_ ]?api|sec_api_standin|\bfilings?\b|\bcik\b|edgar|10-K|\bworkers\.|\bdispatcher\b|"
    r"\bvalidator\b|\butilities\b|FetchFiling|accession",
    re.IGNORECASE,
)


def pipeline_words(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = PIPELINE_WORDS.search(line)
            if match:
                found.append(f"{path.relative_to(root.parent)}:{number}: {match.group(0)!r} in {line.strip()}")
    return found


def test_no_word_of_the_sec_pipeline_under_harness() -> None:
    assert pipeline_words(HARNESS) == []


def test_the_check_sees_a_planted_word(tmp_path: Path) -> None:
    planted = tmp_path / "harness"
    planted.mkdir()
    (planted / "stack.py").write_text('SERVICE = "sec-api"\n')
    assert pipeline_words(planted) == ["harness/stack.py:1: 'sec' in SERVICE = \"sec-api\""]
