"""The load-time contract check of the generated JS: before a core module is instantiated,
`prepare()` compares it with the world's core contract and throws ONE `WebAssembly.LinkError`
listing every problem, worded as the build-time checker (`witgen.guest.check`) words them.

`contract_js(plan)` renders the contract as data (`EXPORTS`, `IMPORTS`) from the ABI plan, with
the rules of `witgen.guest.check.export_rules` / `import_rules`; nothing is re-derived in JS.
`RUNTIME` is the JS that applies it:

- `toModule(source)` compiles a Module, bytes, a `Response` (streaming when served as
  `application/wasm`) or a Promise of one, and gives `[module, sigs]`: the core signatures of
  the module's function imports and exports. They are read from the bytes by `coreSigs`, which
  parses only the sections before the code (type, import, function, export); a streamed
  `Response` is read through a clone, up to the export section. A precompiled `Module` has no
  bytes left: its signatures come from the engine's type reflection where it has one
  (`Module.imports(m)[i].type`), else only names and kinds are checked before instantiation,
  and each function export's type after it, before anything runs (`probeExports`: linking the
  export into a probe module that imports it with the world's type); imports stay unchecked.
- `checkCore(module, sigs, extra, wasi)`: the exports the world needs (memory and
  `cabi_realloc` where the plan needs them) with their signatures, no import outside the world
  (modules of `extraImports` and, with `wasi`, WASI preview 1 are the host's), and each world
  import with the world's signature.
"""

from __future__ import annotations

import json

from witgen.abi.plan import WorldPlan
from witgen.guest.check import WASI_PREVIEW1_MODULES, export_rules, import_rules


def _lit(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def contract_js(plan: WorldPlan, world: str) -> str:
    """`WORLD` (the world's name), `EXPORTS` (name, signature or null for a memory, 0 / 1 / why it is required, aliases)
    and `IMPORTS` (module -> name -> signature) of the plan's contract."""
    lines = [
        f"const WORLD = {_lit(world)};",
        "/** The core contract, from the ABI plan: exports [name, signature (null: a memory), "
        "0 (optional) or 1 or why required, ...aliases]; importable functions by module. */",
        "const EXPORTS = [",
    ]
    for rule in export_rules(plan.contract, plan.needs_memory, plan.needs_realloc):
        need: object = (rule.why or 1) if rule.required else 0
        row = [rule.name, rule.signature, need, *rule.aliases]
        lines.append(f"  [{', '.join(_lit(v) for v in row)}],")
    lines += ["];", "const IMPORTS = {"]
    modules: dict[str, dict[str, str]] = {}
    for (module, name), sig in import_rules(plan.contract).items():
        modules.setdefault(module, {})[name] = sig
    for module, funcs in modules.items():
        body = ", ".join(f"{_lit(n)}: {_lit(s)}" for n, s in funcs.items())
        lines.append(f"  {_lit(module)}: {{ {body} }},")
    lines.append("};")
    return "\n".join(lines) + "\n"


RUNTIME = (
    "const WASI_MODULES = ["
    + ", ".join(_lit(m) for m in sorted(WASI_PREVIEW1_MODULES))
    + "];\n"
    + r"""
function sigText(ps, rs) {
  return "(" + ps.join(", ") + ")" + (rs.length === 1 ? " -> " + rs[0] : rs.length ? " -> (" + rs.join(", ") + ")" : "");
}
let TD = null;
const VALTYPES = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
// function signatures of imports ("module\0name") and exports, from the sections before the
// code; undefined: `b` is too short (a prefix, unless `whole`), null: not readable here
function coreSigs(b, whole = true) {
  let p = 8;
  const u = () => { let r = 0, s = 0, c; do { if (p >= b.length) throw 1; c = b[p++]; r += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return r; };
  const byte = () => { if (p >= b.length) throw 1; return b[p++]; };
  const name = () => {
    const n = u(), e = p + n;
    if (e > b.length) throw 1;
    let s = "";
    for (let i = p; i < e; i++) { if (b[i] > 0x7f) { s = (TD ??= new TextDecoder()).decode(b.subarray(p, e)); break; } s += String.fromCharCode(b[i]); }
    p = e;
    return s;
  };
  const vt = () => { const t = VALTYPES[byte()]; if (t === undefined) throw 0; return t; };
  const vec = (f) => { const r = [], n = u(); for (let i = 0; i < n; i++) r.push(f()); return r; };
  const limits = () => { const f = byte(); u(); if (f & 1) u(); if (f & 8) u(); };
  const types = [], funcs = [], out = { i: new Map(), e: new Map() };
  try {
    if (b.length < 8) throw 1;
    while (p < b.length) {
      const id = byte(), size = u(), end = p + size;
      if (id === 1) {
        for (const t of vec(() => { if (byte() !== 0x60) throw 0; return sigText(vec(vt), vec(vt)); })) types.push(t);
      } else if (id === 2) {
        if (end > b.length) throw 1;
        vec(() => {
          const m = name(), n = name(), k = byte();
          if (k === 0) { const t = types[u()]; funcs.push(t); out.i.set(m + "\0" + n, t); }
          else if (k === 1) { vt(); limits(); } else if (k === 2) limits();
          else if (k === 3) { vt(); byte(); } else if (k === 4) { byte(); u(); } else throw 0;
        });
      } else if (id === 3) {
        for (let i = 0, n = u(); i < n; i++) funcs.push(types[u()]);
      } else if (id === 7) {
        vec(() => { const n = name(), k = byte(), i = u(); if (k === 0) out.e.set(n, funcs[i]); });
        return out;
      } else if (id !== 0 && id !== 4 && id !== 5 && id !== 6 && id !== 13) return out;
      if (end > b.length) throw 1;
      p = end;
    }
    return whole ? out : undefined;
  } catch (e) {
    if (e !== 0 && e !== 1) throw e;
    return e === 1 ? undefined : null;
  }
}
// coreSigs of a streamed Response, read up to the export section
async function streamSigs(res) {
  const r = res.body.getReader();
  let b = new Uint8Array(0);
  try {
    for (;;) {
      const { done, value } = await r.read();
      if (value) { const n = new Uint8Array(b.length + value.length); n.set(b); n.set(value, b.length); b = n; }
      const s = coreSigs(b, done);
      if (s !== undefined || done) return s ?? null;
    }
  } finally {
    r.cancel().catch(() => {});
  }
}
// the signatures of a compiled Module, from the engine's type reflection (null without)
function reflectSigs(m) {
  const out = { i: new Map(), e: new Map() };
  for (const [list, map, key] of [[WebAssembly.Module.imports(m), out.i, (d) => d.module + "\0" + d.name], [WebAssembly.Module.exports(m), out.e, (d) => d.name]]) {
    for (const d of list) {
      if (d.kind !== "function") continue;
      if (!d.type || !d.type.parameters) return null;
      map.set(key(d), sigText(d.type.parameters, d.type.results));
    }
  }
  return out;
}
function bytesOf(s) {
  return ArrayBuffer.isView(s) ? new Uint8Array(s.buffer, s.byteOffset, s.byteLength) : new Uint8Array(s);
}
async function toModule(s) {
  s = await s;
  if (s instanceof WebAssembly.Module) return [s, reflectSigs(s)];
  if (typeof Response === "function" && s instanceof Response) {
    if (!s.ok) throw new Error("cannot load the core module " + s.url + ": HTTP " + s.status + (s.statusText ? " " + s.statusText : ""));
    if (/^application\/wasm\b/.test(s.headers.get("content-type"))) {
      const copy = s.clone();
      return Promise.all([WebAssembly.compileStreaming(s), streamSigs(copy)]);
    }
    s = await s.arrayBuffer();
  }
  const m = await WebAssembly.compile(s);
  return [m, coreSigs(bytesOf(s))];
}
function compileSync(s) {
  if (s instanceof WebAssembly.Module) return [s, reflectSigs(s)];
  const m = new WebAssembly.Module(s);
  return [m, coreSigs(bytesOf(s))];
}
// A compiled Module without type reflection: each function export the world needs is linked,
// right after instantiation and before anything runs, into a probe module importing it with the
// world's type; the engine refuses a different type (LinkError), and every such export is listed.
const PROBES = new Map();
function probeModule(sigs) {
  const key = sigs.join("|");
  let m = PROBES.get(key);
  if (!m) PROBES.set(key, (m = buildProbe(sigs)));
  return m;
}
function buildProbe(sigs) {
  const uleb = (n, out) => { do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const vt = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };
  const types = uleb(sigs.length, []), imps = uleb(sigs.length, []);
  sigs.forEach((sig, i) => {
    const [ps, rs] = sig.split(" -> ").map((t) => t.replace(/[()]/g, "").split(", ").filter(Boolean));
    types.push(0x60, ...uleb(ps.length, []), ...ps.map((t) => vt[t]), ...uleb((rs ?? []).length, []), ...(rs ?? []).map((t) => vt[t]));
    const name = [...new TextEncoder().encode(String(i))];
    imps.push(1, 0x70, ...uleb(name.length, []), ...name, 0, ...uleb(i, []));
  });
  const sec = (id, body) => [id, ...uleb(body.length, []), ...body];
  return new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sec(1, types), ...sec(2, imps)]));
}
function probeExports(x) {
  const found = [];
  for (const [name, sig, , ...aliases] of EXPORTS) {
    const n = sig === null ? undefined : [name, ...aliases].find((n) => typeof x[n] === "function");
    if (n !== undefined) found.push([n, sig]);
  }
  const link = (list) => {
    try { new WebAssembly.Instance(probeModule(list.map((f) => f[1])), { p: Object.fromEntries(list.map((f, i) => [i, x[f[0]]])) }); return true; } catch (e) { if (e instanceof WebAssembly.LinkError) return false; throw e; }
  };
  if (!found.length || link(found)) return;
  const p = found.filter((f) => !link([f])).map(([n, sig]) => 'export "' + n + '" does not have the signature the world needs, ' + sig);
  throw new WebAssembly.LinkError("the core module does not fit world `" + WORLD + "` (" + p.length + " problem" + (p.length > 1 ? "s" : "") + "):" + p.map((x) => "\n  - " + x).join(""));
}
function ownOf(o, k) { return o !== null && typeof o === "object" && Object.hasOwn(o, k) ? o[k] : undefined; }
// throws one LinkError listing every way `module` breaks the world's core contract
function checkCore(module, sigs, extra, wasi) {
  const p = [], kind = (k) => (k === "function" ? "func" : k);
  const have = new Map(WebAssembly.Module.exports(module).map((d) => [d.name, kind(d.kind)]));
  for (const [name, sig, need, ...aliases] of EXPORTS) {
    const found = [name, ...aliases].find((n) => have.has(n));
    const want = sig === null ? "memory" : "func";
    const lifted = found === undefined && /^(?:\[callback\])?\[async-lift\](.*)$/.exec(name);
    if (lifted && have.has("[async-lift-stackful]" + lifted[1])) {
      // lifted stackful instead: no [callback] needed; the async runtime checks JSPI when it starts
    } else if (found === undefined) {
      if (need) p.push(sig === null ? 'missing export "' + name + '" (a memory): ' + need : 'missing export "' + name + '": expected ' + sig + (need === 1 ? "" : " (" + need + ")"));
    } else if (have.get(found) !== want) {
      p.push('export "' + found + '" is a ' + have.get(found) + ", the world needs a " + want);
    } else if (sigs && sig !== null && sigs.e.get(found) !== sig) {
      p.push('export "' + found + '" has ' + sigs.e.get(found) + " but the world needs " + sig);
    }
  }
  const needWasi = [];
  for (const d of WebAssembly.Module.imports(module)) {
    if (ownOf(extra, d.module) !== undefined) continue;
    if (WASI_MODULES.includes(d.module)) { if (!wasi) needWasi.push(d.name); continue; }
    const label = d.module === "$root" ? d.name : d.module + "#" + d.name;
    const want = ownOf(ownOf(IMPORTS, d.module), d.name), k = kind(d.kind);
    if (want === undefined) p.push('import "' + label + '"' + (k === "func" ? "" : " (a " + k + ")") + " is not in the world");
    else if (k !== "func") p.push('import "' + label + '" is a ' + k + ", the world has a function");
    else if (sigs && sigs.i.get(d.module + "\0" + d.name) !== want) p.push('import "' + label + '" has ' + sigs.i.get(d.module + "\0" + d.name) + " but the world needs " + want);
  }
  if (needWasi.length) p.push("the module imports WASI preview 1 (" + needWasi.join(", ") + "): pass the `wasi` option");
  for (const m of Object.keys(extra ?? {})) {
    if (ownOf(IMPORTS, m) !== undefined) p.push("extraImports: module \"" + m + "\" is the world's own: its functions come from `imports`");
  }
  if (p.length) throw new WebAssembly.LinkError("the core module does not fit world `" + WORLD + "` (" + p.length + " problem" + (p.length > 1 ? "s" : "") + "):" + p.map((x) => "\n  - " + x).join(""));
}
"""
)
