// The `misbehave` guest breaks the canonical ABI on purpose: every error names the function
// and the path, and the instance is unusable afterwards.
import assert from "node:assert/strict";
import { load, WitGuestError, WitTrapError, type Exports, type Imports } from "./pkg/index.js";
import { check, done, throws } from "./harness.js";

const imports: Imports = {
  "witgen:misbehave/sink": { takeString: () => {}, takeChar: () => {}, takeList: () => {}, takeThing: (t) => t.id() },
  "witgen:misbehave/types": { Thing: class { id(): number { return 1; } } },
};
type Name = Exclude<keyof Exports, "ok" | "oddBool">;
const cases: [Name, new (...a: never[]) => Error, string][] = [
  ["trap", WitTrapError, "trap: the guest trapped (unreachable); the instance is now unusable"],
  ["badPointer", WitGuestError, "bad-pointer: result: out-of-bounds pointer 4294967280 (100 bytes; memory has 65536)"],
  ["badListLength", WitGuestError, "bad-list-length: result: out-of-bounds pointer 1024 (1073741824 bytes; memory has 65536)"],
  ["badListAlignment", WitGuestError, "bad-list-alignment: result: misaligned pointer 1026 (alignment 4)"],
  ["badUtf8", WitGuestError, "bad-utf8: result: invalid UTF-8 in a string"],
  ["badEnum", WitGuestError, "bad-enum: result: invalid enum discriminant 7 (3 cases)"],
  ["badVariant", WitGuestError, "bad-variant: result: invalid discriminant 9 (3 cases)"],
  ["badOption", WitGuestError, "bad-option: result: invalid discriminant 2 (2 cases)"],
  ["badResult", WitGuestError, "bad-result: result: invalid discriminant 2 (2 cases)"],
  ["badFlags", WitGuestError, "bad-flags: result: invalid flags bits 0x80 (3 flags)"],
  ["badCharSurrogate", WitGuestError, "bad-char-surrogate: result: invalid char 55296"],
  ["badCharRange", WitGuestError, "bad-char-range: result: invalid char 1114112"],
  ["badHandle", WitGuestError, "bad-handle: result: unknown handle 12345 of resource `thing`"],
  ["passBadUtf8", WitGuestError, "take-string: s: invalid UTF-8 in a string"],
  ["passBadChar", WitGuestError, "take-char: c: invalid char 55296"],
  ["passBadPointer", WitGuestError, "take-list: xs: out-of-bounds pointer 4294967280 (400 bytes; memory has 65536)"],
  ["passBadHandle", WitGuestError, "take-thing: t: unknown handle 12345 of resource `thing`"],
  ["dropBadHandle", WitGuestError, "[resource-drop]thing: handle: unknown handle 12345 of resource `thing`"],
];
for (const [name, cls, msg] of cases) {
  await check(name, async () => {
    const ex = await load(imports);
    assert.equal(ex.ok(), 42);
    const m = throws(() => (ex[name] as () => unknown)(), cls, msg);
    const after = throws(() => ex.ok(), WitTrapError, /^ok: the instance is unusable: /);
    assert.ok(after.endsWith(m), after);
    return m;
  });
}
await check("odd-bool-is-true", async () => {
  const ex = await load(imports);
  return [ex.oddBool(), ex.ok()];
});
done();
