"""The WIT front end: source text to the typed model (`witgen.model`).

text -> tokens (`lexer`) -> syntax tree (`parser` with `treebuilder` and `tables`, nodes in
`ast`; cached by `astcache` in the form `astcodec` writes) -> packages in dependency order
(`loader`) -> resolved model (`resolve`: per package `unresolved` builds a `local` model with
`paths` and `typeexprs`, `append` copies it into the global arenas and `elaborate` finishes
worlds). `jsonout` prints the model as `wasm-tools component wit --json` does.
Nothing is imported here, so `import witgen.wit.lexer` does not pull in lark.
"""
