// The `error-guest` world with hand-written canonical-ABI glue (wit-bindgen c 0.63 panics on
// `error-context`: "not yet implemented"). Sync exports; the error-context built-ins are core
// imports from `$root` (`[error-context-new-utf8]`, `[error-context-debug-message-utf8]`,
// `[error-context-drop]`). A result of more than one flat value is returned through a pointer
// to a static return area. Built without wit-bindgen: `wasm-tools component embed` adds the
// world (guest.toml sets bindgen = false).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define ROOT(name) __attribute__((import_module("$root"), import_name(name)))

ROOT("[error-context-new-utf8]") extern uint32_t error_context_new(const char *ptr, size_t len);
// writes the message's (ptr, len), allocated with cabi_realloc, to `ret`
ROOT("[error-context-debug-message-utf8]") extern void error_context_debug_message(uint32_t e, uint32_t *ret);
ROOT("[error-context-drop]") extern void error_context_drop(uint32_t e);

EXPORT("cabi_realloc")
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align;
  void *p = realloc(ptr, new_size);
  if (!p) __builtin_trap();
  return p;
}

static _Alignas(8) uint32_t ret_area[2];

// parse-u32: result<u32, error-context> is { u8 case; u32 payload } (payload at offset 4)
EXPORT("parse-u32")
uint32_t *parse_u32(char *s, size_t len) {
  uint32_t n = 0;
  int ok = len > 0 && len <= 9;
  for (size_t i = 0; ok && i < len; i++) {
    if (s[i] < '0' || s[i] > '9') ok = 0;
    else n = n * 10 + (uint32_t)(s[i] - '0');
  }
  if (ok) {
    ret_area[0] = 0;
    ret_area[1] = n;
  } else {
    static const char prefix[] = "not a number: \"";
    size_t plen = sizeof prefix - 1;
    char *msg = malloc(plen + len + 1);
    if (!msg) __builtin_trap();
    memcpy(msg, prefix, plen);
    memcpy(msg + plen, s, len);
    msg[plen + len] = '"';
    ret_area[0] = 1;
    // The guest keeps its handle (an error-context is copied, not moved, when it is lifted;
    // wasmtime 50 counts no reference for the host's copy, so the guest's keeps it alive).
    ret_area[1] = error_context_new(msg, plen + len + 1);
    free(msg);
  }
  if (len) free(s);  // an empty string's pointer is `align` from cabi_realloc, not malloc's
  return ret_area;
}

// describe: string is { ptr; len }
EXPORT("describe")
uint32_t *describe(uint32_t e) {
  error_context_debug_message(e, ret_area);
  error_context_drop(e);
  return ret_area;
}

EXPORT("cabi_post_describe")
void describe_post(uint32_t *ret) {
  if (ret[1]) free((void *)(uintptr_t)ret[0]);
}
