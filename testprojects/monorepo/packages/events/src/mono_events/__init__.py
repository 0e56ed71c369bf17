"""mono-events: JS bindings of world `events` (mono_events/js in the wheel)."""
