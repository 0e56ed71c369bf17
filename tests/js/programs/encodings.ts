// Strings in the three canonical-ABI encodings (string_encoding option), both directions, with
// strings large enough to make the guest grow its memory mid-call.
import assert from "node:assert/strict";
import * as utf8 from "./pkg/index.js";
import * as utf16 from "./pkg16/index.js";
import * as latin1 from "./pkgL/index.js";
import { WitGuestError as WitGuestError8 } from "./pkg/index.js";
import { WitGuestError as WitGuestError16 } from "./pkg16/index.js";
import { WitGuestError as WitGuestErrorL } from "./pkgL/index.js";
import { check, done, throws } from "./harness.js";

const samples = ["", "a", "hello", "é", "ÿ", "€", "😀", "latin1 é ü ÿ", "mixed € and 😀", "x".repeat(70000), "é".repeat(40000), "€".repeat(30000)];
const enc = new TextEncoder();
const relay = { relay: (s: string) => s };

const e8 = await utf8.load(relay);
const e16 = await utf16.load(relay);
const eL = await latin1.load(relay);
for (const [name, ex] of [["utf8", e8], ["utf16", e16], ["latin1+utf16", eL]] as const) {
  await check(`${name}: echo and via-host`, () => {
    for (const s of samples) {
      assert.equal(ex.echo(s), s);
      assert.equal(ex.viaHost(s), s);
    }
    return samples.length;
  });
}
await check("raw lengths", () => {
  const out = [];
  for (const s of samples) {
    assert.equal(e8.rawLen(s), enc.encode(s).length);
    assert.equal(e16.rawLen(s), s.length);
    const isLatin1 = [...s].every((c) => c.charCodeAt(0) < 256 && c.length === 1);
    assert.equal(eL.rawLen(s), isLatin1 ? s.length : (s.length | 0x80000000) >>> 0);
    out.push([e8.rawLen(s), e16.rawLen(s), eL.rawLen(s)]);
  }
  return out.slice(0, 9);
});
await check("first bytes", () => [
  [e8.firstByte("é"), e16.firstByte("é"), eL.firstByte("é")],
  [e8.firstByte("€"), e16.firstByte("€"), eL.firstByte("€")],
]);
await check("host results are checked", async () => {
  const bad = await utf16.load({ relay: () => "x\ud800" });
  return throws(() => bad.viaHost("a"), TypeError, "relay: result: the string has an unpaired surrogate (returned by the host)");
});
await check("unpaired surrogates rejected in every encoding", () => {
  const out = [];
  for (const ex of [e8, e16, eL]) out.push(throws(() => ex.echo("a\udc00"), TypeError, "echo: s: the string has an unpaired surrogate"));
  return out;
});
await check("guest string errors", async () => {
  const fresh = async () => [await utf8.load(relay), await utf16.load(relay), await latin1.load(relay)] as const;
  let [a, b, c] = await fresh();
  const out = [
    throws(() => a.badString(), WitGuestError8, /^bad-string: result: out-of-bounds pointer 32 \(2147483649 bytes/),
    throws(() => b.badString(), WitGuestError16, /^bad-string: result: out-of-bounds pointer 32 \(4294967298 bytes/),
    throws(() => c.badString(), WitGuestErrorL, "bad-string: result: invalid UTF-16 in a string (unpaired surrogate)"),
  ];
  [a, b, c] = await fresh();
  out.push(throws(() => a.oddPointer(), WitGuestError8, "odd-pointer: result: invalid UTF-8 in a string"),
    throws(() => b.oddPointer(), WitGuestError16, "odd-pointer: result: misaligned pointer 33 (alignment 2)"),
    throws(() => c.oddPointer(), WitGuestErrorL, "odd-pointer: result: misaligned pointer 33 (alignment 2)"));
  return out;
});
done();
