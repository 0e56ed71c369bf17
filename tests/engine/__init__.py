"""Tests of witgen.engine (the incremental build engine)."""
