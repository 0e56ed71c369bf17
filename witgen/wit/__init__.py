"""The WIT front end: source text to the typed model (`witgen.model`).

text -> tokens (`lexer`) -> syntax tree (`parser`, `ast`; cached by `astcache`) -> packages in
dependency order (`loader`) -> resolved model (`resolve`, via `unresolved`, `append` and
`elaborate`). `jsonout` prints the model as `wasm-tools component wit --json` does.
Nothing is imported here, so `import witgen.wit.lexer` does not pull in lark.
"""
