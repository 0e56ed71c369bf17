// The `fixed-lists` world with hand-written canonical-ABI glue (wit-bindgen c 0.63 panics on
// fixed-length lists). Flattening: list<u8, 4> is 4 i32 params; list<tuple<s32, s32>, 2> is 4
// i32 params; a fixed-list result of more than one flat value is returned through a pointer
// to a static return area. Built without wit-bindgen: `wasm-tools component embed` adds the
// world (guest.toml sets bindgen = false).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((import_module("$root"), import_name("roundtrip-bytes")))
extern void import_roundtrip_bytes(int32_t a, int32_t b, int32_t c, int32_t d, uint8_t *ret);

EXPORT("cabi_realloc")
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align;
  void *p = realloc(ptr, new_size);
  if (!p) abort();
  return p;
}

static _Alignas(8) uint8_t ret_area[32];

EXPORT("reverse-bytes")
uint8_t *reverse_bytes(int32_t a, int32_t b, int32_t c, int32_t d) {
  ret_area[0] = (uint8_t)d;
  ret_area[1] = (uint8_t)c;
  ret_area[2] = (uint8_t)b;
  ret_area[3] = (uint8_t)a;
  return ret_area;
}

EXPORT("sum-pairs")
int64_t sum_pairs(int32_t x0, int32_t y0, int32_t x1, int32_t y1) {
  return (int64_t)x0 + y0 + x1 + y1;
}

EXPORT("relay-bytes")
uint8_t *relay_bytes(int32_t a, int32_t b, int32_t c, int32_t d) {
  uint8_t out[4];
  import_roundtrip_bytes(a, b, c, d, out);
  memcpy(ret_area, out, 4);
  return ret_area;
}

static const char *const NAMES[3] = {"ab", "", "ünï"};

EXPORT("names")
uint8_t *names(void) {
  // list<string, 3> in memory: three (ptr, len) pairs
  for (int i = 0; i < 3; i++) {
    size_t len = strlen(NAMES[i]);
    uint8_t *p = len ? malloc(len) : NULL;
    if (len) memcpy(p, NAMES[i], len);
    uint32_t fields[2] = {(uint32_t)(uintptr_t)p, (uint32_t)len};
    memcpy(ret_area + 8 * i, fields, 8);
  }
  return ret_area;
}

EXPORT("cabi_post_names")
void post_names(uint8_t *area) {
  for (int i = 0; i < 3; i++) {
    uint32_t fields[2];
    memcpy(fields, area + 8 * i, 8);
    if (fields[1]) free((void *)(uintptr_t)fields[0]);
  }
}
