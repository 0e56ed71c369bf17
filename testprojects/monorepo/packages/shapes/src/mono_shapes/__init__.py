"""mono-shapes: JS bindings of world `shapes` (mono_shapes/js in the wheel)."""
