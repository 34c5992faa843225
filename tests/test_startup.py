"""Start-up: spaCy is imported without its command line, and nothing of spaCy is lost by that."""
from __future__ import annotations

import subprocess
import sys


def test_spacy_without_its_cli_loads_the_pipeline_and_the_cli_still_imports_later():
    code = (
        "import sys\n"
        "from followup_lint.nlp import get_pipeline\n"
        "from followup_lint.sources import draft_from_text\n"
        "p = get_pipeline(None, {'tags', 'deps', 'sents'})\n"
        "print('cli imported while loading:', 'spacy.cli' in sys.modules)\n"
        "doc = next(p.annotate([draft_from_text('Dear A,\\n\\nYou rushed me.\\n\\nBest,\\nB\\n', 'd.txt')]))[1]\n"
        "print([t.lemma_ for t in doc if t.lemma_.strip()][3:6])\n"
        "import spacy, spacy.cli\n"
        "from spacy.cli import download\n"
        "print('cli works:', callable(download), callable(spacy.info), hasattr(spacy.cli, 'app'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "cli imported while loading: False",
        "['you', 'rush', 'I']",
        "cli works: True True True",
    ]
