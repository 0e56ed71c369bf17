"""mono-app: bindings of worlds `app` and `plugin` (mono_app/* in the wheel)."""
