// The `hello` world (tests/guests/c/hello/world.wit) in JavaScript, for componentize-js.
// A world-level function import is the default export of a module named after it.
import log from "log";

export function greet(name) {
  const msg = `Hello, ${name}!`;
  log(msg);
  return msg;
}

export function describe(p) {
  return `${p.name} is ${p.age} years old`;
}

export function sumList(xs) {
  let total = 0n;
  for (const x of xs) total += BigInt(x);
  return total;
}

// componentize-js: returning a value means ok; throwing means err(thrown value).
export function parseAge(s) {
  if (/^[0-9]+$/.test(s) && Number(s) <= 255) return Number(s);
  throw `not a number: ${s}`;
}

export function oldest(people) {
  let best;
  for (const p of people) {
    if (best === undefined || p.age > best.age) best = p;
  }
  return best;
}
