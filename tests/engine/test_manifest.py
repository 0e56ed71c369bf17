"""Manifest format: deterministic bytes, validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from witgen.engine import MANIFEST_NAME, BindingSpec, build, read_manifest
from witgen.engine.manifest import Manifest

from .helpers import FakeGen, gen_files, write


def _tree(base: Path) -> BindingSpec:
    write(base / "wit" / "w.wit", "package a:b;\nworld w {}\n")
    write(base / "wit" / "deps" / "io" / "s.wit", "package wasi:io;\n")
    return BindingSpec(
        wit_path=base / "wit",
        target="js",
        out_dir=base / "out" / "js",
        world="w",
        options={"z": 1, "a": {"y": True, "b": None}},
        features=("b", "a"),
    )


def test_manifest_bytes_are_deterministic_and_location_independent(tmp_path: Path) -> None:
    blobs = []
    for name in ("one", "two/deeper"):
        spec = _tree(tmp_path / name)
        build(spec, FakeGen(dict(reversed(list(gen_files().items()))), used=None))
        blobs.append((spec.out_dir / MANIFEST_NAME).read_bytes())
        build(spec, FakeGen(gen_files(), used=None), force=True)
        assert (spec.out_dir / MANIFEST_NAME).read_bytes() == blobs[-1]
    assert blobs[0] == blobs[1]
    text = blobs[0].decode()
    assert str(tmp_path) not in text and "one" not in text
    doc = json.loads(text)
    assert list(doc) == sorted(doc)
    assert text == json.dumps(doc, sort_keys=True, indent=2) + "\n"
    assert set(doc) == {
        "candidates",
        "complete",
        "config",
        "created_dirs",
        "format",
        "inputs",
        "key",
        "outputs",
        "target",
        "witgen_version",
        "world",
    }


def test_round_trip(tmp_path: Path) -> None:
    spec = _tree(tmp_path)
    build(spec, FakeGen(gen_files()))
    m = read_manifest(spec.out_dir)
    assert m is not None
    assert Manifest.from_json(m.to_json()) == m


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(format=2),
        lambda d: d.pop("key"),
        lambda d: d.update(outputs={"../escape.js": "0" * 64}),
        lambda d: d.update(outputs={"/abs.js": "0" * 64}),
        lambda d: d.update(outputs={MANIFEST_NAME: "0" * 64}),
        lambda d: d.update(created_dirs=[".."]),
        lambda d: d.update(inputs=["a.wit"]),
        lambda d: d.update(complete="yes"),
        lambda d: d.update(world=3),
    ],
)
def test_invalid_manifests_are_rejected(tmp_path: Path, edit: object) -> None:
    spec = _tree(tmp_path)
    build(spec, FakeGen(gen_files()))
    doc = json.loads((spec.out_dir / MANIFEST_NAME).read_text())
    edit(doc)  # type: ignore[operator]
    assert Manifest.from_json(json.dumps(doc).encode()) is None


def test_unsafe_manifest_never_deletes_outside(tmp_path: Path) -> None:
    spec = _tree(tmp_path)
    victim = write(tmp_path / "out" / "victim.txt", "keep\n")
    build(spec, FakeGen(gen_files()))
    mpath = spec.out_dir / MANIFEST_NAME
    doc = json.loads(mpath.read_text())
    doc["outputs"]["../victim.txt"] = "0" * 64
    mpath.write_text(json.dumps(doc))
    build(spec, FakeGen(gen_files()))
    assert victim.read_text() == "keep\n"
