// The `scalars` world: the guest's exports of `numbers` relay to the host's import of
// `numbers`; the world-level exports are computed by the guest (add-via-host and log-message
// call the host). Export arguments are owned by the callee (wit-bindgen c), so the guest frees
// them or hands them on as its result.
#include <stdlib.h>
#include <string.h>

#include "scalars.h"

// --- exports of witgen:scalars/numbers: relay to the import ---------------------------------

bool exports_witgen_scalars_numbers_roundtrip_bool(bool x) { return witgen_scalars_numbers_roundtrip_bool(x); }
uint8_t exports_witgen_scalars_numbers_roundtrip_u8(uint8_t x) { return witgen_scalars_numbers_roundtrip_u8(x); }
int8_t exports_witgen_scalars_numbers_roundtrip_s8(int8_t x) { return witgen_scalars_numbers_roundtrip_s8(x); }
uint16_t exports_witgen_scalars_numbers_roundtrip_u16(uint16_t x) { return witgen_scalars_numbers_roundtrip_u16(x); }
int16_t exports_witgen_scalars_numbers_roundtrip_s16(int16_t x) { return witgen_scalars_numbers_roundtrip_s16(x); }
uint32_t exports_witgen_scalars_numbers_roundtrip_u32(uint32_t x) { return witgen_scalars_numbers_roundtrip_u32(x); }
int32_t exports_witgen_scalars_numbers_roundtrip_s32(int32_t x) { return witgen_scalars_numbers_roundtrip_s32(x); }
uint64_t exports_witgen_scalars_numbers_roundtrip_u64(uint64_t x) { return witgen_scalars_numbers_roundtrip_u64(x); }
int64_t exports_witgen_scalars_numbers_roundtrip_s64(int64_t x) { return witgen_scalars_numbers_roundtrip_s64(x); }
float exports_witgen_scalars_numbers_roundtrip_f32(float x) { return witgen_scalars_numbers_roundtrip_f32(x); }
double exports_witgen_scalars_numbers_roundtrip_f64(double x) { return witgen_scalars_numbers_roundtrip_f64(x); }
uint32_t exports_witgen_scalars_numbers_roundtrip_char(uint32_t x) { return witgen_scalars_numbers_roundtrip_char(x); }

void exports_witgen_scalars_numbers_roundtrip_string(scalars_string_t *x, scalars_string_t *ret) {
  witgen_scalars_numbers_roundtrip_string(x, ret);
  scalars_string_free(x);
}

void exports_witgen_scalars_numbers_all_scalars(
    bool a, uint8_t b, int8_t c, uint16_t d, int16_t e, uint32_t f, int32_t g, uint64_t h,
    int64_t i, float j, double k, uint32_t l,
    scalars_tuple12_bool_u8_s8_u16_s16_u32_s32_u64_s64_f32_f64_char32_t *ret) {
  witgen_scalars_numbers_all_scalars(a, b, c, d, e, f, g, h, i, j, k, l, ret);
}

// --- world exports ----------------------------------------------------------------------------

uint32_t exports_scalars_add(uint32_t a, uint32_t b) { return a + b; }

uint32_t exports_scalars_add_via_host(uint32_t a, uint32_t b) { return scalars_host_add(a, b); }

void exports_scalars_echo(scalars_string_t *s, scalars_string_t *ret) { *ret = *s; }

void exports_scalars_concat(scalars_string_t *a, scalars_string_t *b, scalars_string_t *ret) {
  size_t len = a->len + b->len;
  uint8_t *buf = len ? malloc(len) : NULL;
  if (a->len) memcpy(buf, a->ptr, a->len);
  if (b->len) memcpy(buf + a->len, b->ptr, b->len);
  ret->ptr = buf;
  ret->len = len;
  scalars_string_free(a);
  scalars_string_free(b);
}

uint32_t exports_scalars_byte_len(scalars_string_t *s) {
  uint32_t n = (uint32_t)s->len;
  scalars_string_free(s);
  return n;
}

uint32_t exports_scalars_char_count(scalars_string_t *s) {
  uint32_t n = 0;
  for (size_t i = 0; i < s->len; i++) {
    if ((s->ptr[i] & 0xC0) != 0x80) n++;  // count bytes that start a scalar value
  }
  scalars_string_free(s);
  return n;
}

uint64_t exports_scalars_sum(scalars_list_u8_t *xs) {
  uint64_t total = 0;
  for (size_t i = 0; i < xs->len; i++) total += xs->ptr[i];
  scalars_list_u8_free(xs);
  return total;
}

void exports_scalars_bytes_roundtrip(scalars_list_u8_t *xs, scalars_list_u8_t *ret) { *ret = *xs; }

uint32_t exports_scalars_f32_to_bits(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
float exports_scalars_f32_from_bits(uint32_t x) { float f; memcpy(&f, &x, 4); return f; }
uint64_t exports_scalars_f64_to_bits(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
double exports_scalars_f64_from_bits(uint64_t x) { double f; memcpy(&f, &x, 8); return f; }

void exports_scalars_log_message(scalars_string_t *msg) {
  scalars_log(msg);
  scalars_string_free(msg);
}

void exports_scalars_noop(void) {}
