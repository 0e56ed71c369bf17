// The `compound` world. Exports of `witgen:compound/api` relay to the host's import of the same
// interface: the guest passes its (owned) arguments on as borrowed import arguments, frees
// them, and returns the import's result (freed by wit-bindgen's cabi_post_* after the call).
// The world-level exports are computed by the guest alone.
#include <stdlib.h>
#include <string.h>

#include "compound.h"

typedef exports_witgen_compound_api_point_t point_t;
typedef exports_witgen_compound_api_mixed_t mixed_t;
typedef exports_witgen_compound_api_nested_t nested_t;
typedef exports_witgen_compound_api_shape_t shape_t;
typedef exports_witgen_compound_api_signal_t signal_t;
typedef exports_witgen_compound_api_many_t many_t;

// --- relays ---------------------------------------------------------------------------------

void exports_witgen_compound_api_roundtrip_point(point_t *x, point_t *ret) {
  witgen_compound_api_roundtrip_point(x, ret);
}

void exports_witgen_compound_api_roundtrip_mixed(mixed_t *x, mixed_t *ret) {
  witgen_compound_api_roundtrip_mixed(x, ret);
  witgen_compound_types_mixed_free(x);
}

void exports_witgen_compound_api_roundtrip_nested(nested_t *x, nested_t *ret) {
  witgen_compound_api_roundtrip_nested(x, ret);
  witgen_compound_types_nested_free(x);
}

void exports_witgen_compound_api_roundtrip_tuple(
    exports_witgen_compound_api_tuple4_u8_string_f64_point_t *x,
    exports_witgen_compound_api_tuple4_u8_string_f64_point_t *ret) {
  witgen_compound_api_roundtrip_tuple(x, ret);
  exports_witgen_compound_api_tuple4_u8_string_f64_point_free(x);
}

exports_witgen_compound_api_color_t exports_witgen_compound_api_roundtrip_color(
    exports_witgen_compound_api_color_t x) {
  return witgen_compound_api_roundtrip_color(x);
}

exports_witgen_compound_api_small_flags_t exports_witgen_compound_api_roundtrip_small_flags(
    exports_witgen_compound_api_small_flags_t x) {
  return witgen_compound_api_roundtrip_small_flags(x);
}

exports_witgen_compound_api_medium_flags_t exports_witgen_compound_api_roundtrip_medium_flags(
    exports_witgen_compound_api_medium_flags_t x) {
  return witgen_compound_api_roundtrip_medium_flags(x);
}

exports_witgen_compound_api_large_flags_t exports_witgen_compound_api_roundtrip_large_flags(
    exports_witgen_compound_api_large_flags_t x) {
  return witgen_compound_api_roundtrip_large_flags(x);
}

void exports_witgen_compound_api_roundtrip_shape(shape_t *x, shape_t *ret) {
  witgen_compound_api_roundtrip_shape(x, ret);
  witgen_compound_types_shape_free(x);
}

void exports_witgen_compound_api_roundtrip_signal(signal_t *x, signal_t *ret) {
  witgen_compound_api_roundtrip_signal(x, ret);
}

bool exports_witgen_compound_api_roundtrip_option(uint32_t *maybe_x, uint32_t *ret) {
  return witgen_compound_api_roundtrip_option(maybe_x, ret);
}

bool exports_witgen_compound_api_roundtrip_option_string(compound_string_t *maybe_x,
                                                         compound_string_t *ret) {
  bool some = witgen_compound_api_roundtrip_option_string(maybe_x, ret);
  if (maybe_x) compound_string_free(maybe_x);
  return some;
}

bool exports_witgen_compound_api_roundtrip_nested_option(compound_option_u32_t *maybe_x,
                                                         compound_option_u32_t *ret) {
  return witgen_compound_api_roundtrip_nested_option(maybe_x, ret);
}

bool exports_witgen_compound_api_roundtrip_option_point(point_t *maybe_x, point_t *ret) {
  return witgen_compound_api_roundtrip_option_point(maybe_x, ret);
}

bool exports_witgen_compound_api_roundtrip_result_unit(
    exports_witgen_compound_api_result_void_void_t *x) {
  return witgen_compound_api_roundtrip_result_unit(x);
}

bool exports_witgen_compound_api_roundtrip_result_ok(
    exports_witgen_compound_api_result_u32_void_t *x, uint32_t *ret) {
  return witgen_compound_api_roundtrip_result_ok(x, ret);
}

bool exports_witgen_compound_api_roundtrip_result_err(
    exports_witgen_compound_api_result_void_string_t *x, compound_string_t *err) {
  bool ok = witgen_compound_api_roundtrip_result_err(x, err);
  exports_witgen_compound_api_result_void_string_free(x);
  return ok;
}

bool exports_witgen_compound_api_roundtrip_result_both(
    exports_witgen_compound_api_result_string_color_t *x, compound_string_t *ret,
    exports_witgen_compound_api_color_t *err) {
  bool ok = witgen_compound_api_roundtrip_result_both(x, ret, err);
  exports_witgen_compound_api_result_string_color_free(x);
  return ok;
}

bool exports_witgen_compound_api_roundtrip_result_nested(
    exports_witgen_compound_api_result_option_point_list_string_t *x,
    exports_witgen_compound_api_option_point_t *ret, compound_list_string_t *err) {
  bool ok = witgen_compound_api_roundtrip_result_nested(x, ret, err);
  exports_witgen_compound_api_result_option_point_list_string_free(x);
  return ok;
}

void exports_witgen_compound_api_roundtrip_list_u32(compound_list_u32_t *x, compound_list_u32_t *ret) {
  witgen_compound_api_roundtrip_list_u32(x, ret);
  compound_list_u32_free(x);
}

void exports_witgen_compound_api_roundtrip_list_f64(compound_list_f64_t *x, compound_list_f64_t *ret) {
  witgen_compound_api_roundtrip_list_f64(x, ret);
  compound_list_f64_free(x);
}

void exports_witgen_compound_api_roundtrip_list_points(exports_witgen_compound_api_list_point_t *x,
                                                       exports_witgen_compound_api_list_point_t *ret) {
  witgen_compound_api_roundtrip_list_points(x, ret);
  exports_witgen_compound_api_list_point_free(x);
}

void exports_witgen_compound_api_roundtrip_list_strings(compound_list_string_t *x,
                                                        compound_list_string_t *ret) {
  witgen_compound_api_roundtrip_list_strings(x, ret);
  compound_list_string_free(x);
}

void exports_witgen_compound_api_roundtrip_list_lists(compound_list_list_u32_t *x,
                                                      compound_list_list_u32_t *ret) {
  witgen_compound_api_roundtrip_list_lists(x, ret);
  compound_list_list_u32_free(x);
}

void exports_witgen_compound_api_roundtrip_list_shapes(exports_witgen_compound_api_list_shape_t *x,
                                                       exports_witgen_compound_api_list_shape_t *ret) {
  witgen_compound_api_roundtrip_list_shapes(x, ret);
  exports_witgen_compound_api_list_shape_free(x);
}

void exports_witgen_compound_api_roundtrip_list_options(compound_list_option_string_t *x,
                                                        compound_list_option_string_t *ret) {
  witgen_compound_api_roundtrip_list_options(x, ret);
  compound_list_option_string_free(x);
}

void exports_witgen_compound_api_many_params(uint8_t a, int8_t b, uint16_t c, int16_t d,
                                             uint32_t e, int32_t f, uint64_t g, int64_t h, float i,
                                             double j, uint32_t k, bool l, compound_string_t *m,
                                             point_t *n, uint32_t *maybe_o,
                                             compound_list_string_t *p,
                                             exports_witgen_compound_api_color_t q,
                                             exports_witgen_compound_api_small_flags_t r,
                                             many_t *ret) {
  witgen_compound_api_many_params(a, b, c, d, e, f, g, h, i, j, k, l, m, n, maybe_o, p, q, r, ret);
  compound_string_free(m);
  compound_list_string_free(p);
}

void exports_witgen_compound_api_roundtrip_many(many_t *x, many_t *ret) {
  witgen_compound_api_roundtrip_many(x, ret);
  witgen_compound_types_many_free(x);
}

void exports_witgen_compound_api_split3(compound_string_t *s,
                                        compound_tuple3_string_string_string_t *ret) {
  witgen_compound_api_split3(s, ret);
  compound_string_free(s);
}

// --- world exports computed by the guest ------------------------------------------------------

void exports_compound_make_point(int32_t x, int32_t y, compound_point_t *ret) {
  ret->x = x;
  ret->y = y;
}

uint32_t exports_compound_color_index(compound_color_t c) { return c; }

void exports_compound_make_shape(uint32_t which, compound_shape_t *ret) {
  memset(ret, 0, sizeof *ret);
  switch (which) {
    case 0: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_CIRCLE; ret->val.circle = 1.5; break;
    case 1: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_RECT; ret->val.rect.f0 = 2.0f; ret->val.rect.f1 = 3.0f; break;
    case 2: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_AT; ret->val.at.x = -1; ret->val.at.y = 7; break;
    case 3: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_NOTHING; break;
    case 4: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_LABEL; compound_string_dup(&ret->val.label, "héllo"); break;
    case 5: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_COUNT; ret->val.count = 0xFFFFFFFFFFFFFFFFull; break;
    default: ret->tag = WITGEN_COMPOUND_TYPES_SHAPE_COLOR; ret->val.color = WITGEN_COMPOUND_TYPES_COLOR_BLUE; break;
  }
}

int64_t exports_compound_sum_points(compound_list_point_t *ps) {
  int64_t total = 0;
  for (size_t i = 0; i < ps->len; i++) total += (int64_t)ps->ptr[i].x + ps->ptr[i].y;
  compound_list_point_free(ps);
  return total;
}

bool exports_compound_parse_number(compound_string_t *s, uint32_t *ret, compound_string_t *err) {
  uint64_t n = 0;
  bool ok = s->len > 0 && s->len <= 10;
  for (size_t i = 0; ok && i < s->len; i++) {
    if (s->ptr[i] < '0' || s->ptr[i] > '9') ok = false;
    else n = n * 10 + (s->ptr[i] - '0');
  }
  if (ok && n <= 0xFFFFFFFFull) {
    *ret = (uint32_t)n;
    compound_string_free(s);
    return true;
  }
  *err = *s;  // hand the argument back as the error
  return false;
}
