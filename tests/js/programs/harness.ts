// Shared by the typed test programs: run named checks, print one JSON summary line.
import assert from "node:assert/strict";

export const results: Record<string, unknown> = {};
export const failures: { name: string; error: string }[] = [];

/** A JSON-able form of any value a binding returns (bigints, typed arrays, maps, NaN, -0). */
export function norm(v: unknown): unknown {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v;
  if (v === undefined) return "undefined";
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number | bigint>, norm) };
  }
  if (v instanceof Map) return { Map: Array.from(v.entries(), (e) => e.map(norm)) };
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = norm((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export async function check(name: string, fn: () => unknown): Promise<void> {
  try {
    results[name] = norm(await fn());
  } catch (e) {
    failures.push({ name, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
}

/** Asserts that `fn` throws an instance of `cls` whose message matches; returns the message. */
export function throws(fn: () => unknown, cls: new (...args: never[]) => Error, msg: string | RegExp): string {
  let caught: unknown = undefined;
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = true;
    caught = e;
  }
  assert.ok(threw, `expected ${cls.name} matching ${msg}, but nothing was thrown`);
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${String(caught)}`);
  const text = (caught as Error).message;
  if (typeof msg === "string") assert.equal(text, msg);
  else assert.match(text, msg);
  return text;
}

export function done(): void {
  console.log(JSON.stringify({ results, failures }));
  if (failures.length) process.exitCode = 1;
}
