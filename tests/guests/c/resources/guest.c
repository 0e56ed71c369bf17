// The `resources` world: the guest implements the `blob` resource of `guest-res` and uses the
// host's `counter` resource of `host-res`.
//
// Handle rules of wit-bindgen c followed here: the *_free helpers never drop handles, so the
// guest drops every own handle it is given (drop_own; for a blob this runs the destructor) and
// every borrow of a host counter it is lent in an export before returning (drop_borrow), as the
// canonical ABI requires. Borrows of the guest's own blob arrive as the rep pointer.
#include <stdlib.h>
#include <string.h>

#include "resources.h"

typedef exports_witgen_resources_guest_res_own_blob_t own_blob_t;
typedef exports_witgen_resources_guest_res_borrow_blob_t borrow_blob_t;
typedef witgen_resources_host_res_own_counter_t own_counter_t;
typedef witgen_resources_host_res_borrow_counter_t borrow_counter_t;

struct exports_witgen_resources_guest_res_blob_t {
  uint8_t *data;
  size_t len;
};

static uint32_t live_blobs = 0;

static own_blob_t blob_from(const uint8_t *data, size_t len) {
  exports_witgen_resources_guest_res_blob_t *b = malloc(sizeof *b);
  b->data = len ? malloc(len) : NULL;
  if (len) memcpy(b->data, data, len);
  b->len = len;
  live_blobs++;
  return exports_witgen_resources_guest_res_blob_new(b);
}

static void copy_bytes(const uint8_t *data, size_t len, resources_list_u8_t *ret) {
  ret->ptr = len ? malloc(len) : NULL;
  if (len) memcpy(ret->ptr, data, len);
  ret->len = len;
}

// --- blob -------------------------------------------------------------------------------------

void exports_witgen_resources_guest_res_blob_destructor(exports_witgen_resources_guest_res_blob_t *rep) {
  free(rep->data);
  free(rep);
  live_blobs--;
}

own_blob_t exports_witgen_resources_guest_res_constructor_blob(resources_list_u8_t *data) {
  own_blob_t b = blob_from(data->ptr, data->len);
  resources_list_u8_free(data);
  return b;
}

uint32_t exports_witgen_resources_guest_res_method_blob_len(borrow_blob_t self) { return (uint32_t)self->len; }

void exports_witgen_resources_guest_res_method_blob_bytes(borrow_blob_t self, resources_list_u8_t *ret) {
  copy_bytes(self->data, self->len, ret);
}

void exports_witgen_resources_guest_res_method_blob_append(borrow_blob_t self, resources_list_u8_t *more) {
  if (more->len) {
    self->data = realloc(self->data, self->len + more->len);
    memcpy(self->data + self->len, more->ptr, more->len);
    self->len += more->len;
  }
  resources_list_u8_free(more);
}

own_blob_t exports_witgen_resources_guest_res_method_blob_clone_blob(borrow_blob_t self) {
  return blob_from(self->data, self->len);
}

own_blob_t exports_witgen_resources_guest_res_static_blob_concat(borrow_blob_t a, borrow_blob_t b) {
  own_blob_t out = blob_from(a->data, a->len);
  exports_witgen_resources_guest_res_blob_t *rep = exports_witgen_resources_guest_res_blob_rep(out);
  if (b->len) {
    rep->data = realloc(rep->data, a->len + b->len);
    memcpy(rep->data + a->len, b->data, b->len);
    rep->len = a->len + b->len;
  }
  return out;
}

void exports_witgen_resources_guest_res_static_blob_into_bytes(own_blob_t b, resources_list_u8_t *ret) {
  exports_witgen_resources_guest_res_blob_t *rep = exports_witgen_resources_guest_res_blob_rep(b);
  copy_bytes(rep->data, rep->len, ret);
  exports_witgen_resources_guest_res_blob_drop_own(b);  // runs the destructor
}

// --- blobs inside other types ------------------------------------------------------------------

void exports_witgen_resources_guest_res_make_holder(resources_string_t *label, resources_list_u8_t *data,
                                                    exports_witgen_resources_guest_res_holder_t *ret) {
  ret->label = *label;  // ownership moves into the result
  ret->item = blob_from(data->ptr, data->len);
  resources_list_u8_free(data);
}

void exports_witgen_resources_guest_res_open_holder(exports_witgen_resources_guest_res_holder_t *h,
                                                    resources_list_u8_t *ret) {
  exports_witgen_resources_guest_res_static_blob_into_bytes(h->item, ret);
  exports_witgen_resources_guest_res_holder_free(h);
}

void exports_witgen_resources_guest_res_make_blobs(uint32_t n, exports_witgen_resources_guest_res_list_own_blob_t *ret) {
  ret->len = n;
  ret->ptr = n ? malloc(n * sizeof(own_blob_t)) : NULL;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t bytes[64];
    size_t len = i < sizeof bytes ? i : sizeof bytes;
    for (size_t j = 0; j < len; j++) bytes[j] = (uint8_t)i;
    ret->ptr[i] = blob_from(bytes, len);  // blob i holds i bytes of value i
  }
}

uint32_t exports_witgen_resources_guest_res_total_len(exports_witgen_resources_guest_res_list_borrow_blob_t *bs) {
  uint32_t total = 0;
  for (size_t i = 0; i < bs->len; i++) total += (uint32_t)bs->ptr[i]->len;
  exports_witgen_resources_guest_res_list_borrow_blob_free(bs);
  return total;
}

void exports_witgen_resources_guest_res_make_slot(uint32_t kind, exports_witgen_resources_guest_res_slot_t *ret) {
  static const uint8_t abc[] = {'a', 'b', 'c'};
  if (kind == 0) {
    ret->tag = EXPORTS_WITGEN_RESOURCES_GUEST_RES_SLOT_EMPTY;
  } else if (kind == 1) {
    ret->tag = EXPORTS_WITGEN_RESOURCES_GUEST_RES_SLOT_FULL;
    ret->val.full = blob_from(abc, 3);
  } else {
    ret->tag = EXPORTS_WITGEN_RESOURCES_GUEST_RES_SLOT_MANY;
    exports_witgen_resources_guest_res_make_blobs(kind, &ret->val.many);
  }
}

uint32_t exports_witgen_resources_guest_res_slot_len(exports_witgen_resources_guest_res_slot_t *s) {
  uint32_t total = 0;
  if (s->tag == EXPORTS_WITGEN_RESOURCES_GUEST_RES_SLOT_FULL) {
    total = (uint32_t)exports_witgen_resources_guest_res_blob_rep(s->val.full)->len;
    exports_witgen_resources_guest_res_blob_drop_own(s->val.full);
  } else if (s->tag == EXPORTS_WITGEN_RESOURCES_GUEST_RES_SLOT_MANY) {
    for (size_t i = 0; i < s->val.many.len; i++) {
      total += (uint32_t)exports_witgen_resources_guest_res_blob_rep(s->val.many.ptr[i])->len;
      exports_witgen_resources_guest_res_blob_drop_own(s->val.many.ptr[i]);
    }
  }
  exports_witgen_resources_guest_res_slot_free(s);
  return total;
}

bool exports_witgen_resources_guest_res_try_blob(bool ok, own_blob_t *ret, resources_string_t *err) {
  if (!ok) {
    resources_string_dup(err, "no blob for you");
    return false;
  }
  static const uint8_t one[] = {1};
  *ret = blob_from(one, 1);
  return true;
}

bool exports_witgen_resources_guest_res_maybe_blob(bool some, own_blob_t *ret) {
  if (!some) return false;
  *ret = blob_from(NULL, 0);
  return true;
}

uint32_t exports_witgen_resources_guest_res_live_count(void) { return live_blobs; }

// --- the host's counter ---------------------------------------------------------------------

uint32_t exports_witgen_resources_guest_res_use_counter(uint32_t start, uint32_t times) {
  own_counter_t c = witgen_resources_host_res_constructor_counter(start);
  borrow_counter_t b = witgen_resources_host_res_borrow_counter(c);
  for (uint32_t i = 0; i < times; i++) witgen_resources_host_res_method_counter_incr(b, 1);
  uint32_t value = witgen_resources_host_res_method_counter_get(b);
  witgen_resources_host_res_counter_drop_own(c);
  return value;
}

uint32_t exports_witgen_resources_guest_res_sum_counters(exports_witgen_resources_guest_res_list_borrow_counter_t *cs) {
  uint32_t total = 0;
  for (size_t i = 0; i < cs->len; i++) {
    total += witgen_resources_host_res_method_counter_get(cs->ptr[i]);
    witgen_resources_host_res_counter_drop_borrow(cs->ptr[i]);
  }
  exports_witgen_resources_guest_res_list_borrow_counter_free(cs);
  return total;
}

uint32_t exports_witgen_resources_guest_res_take_counter(own_counter_t c) {
  uint32_t value = witgen_resources_host_res_method_counter_get(witgen_resources_host_res_borrow_counter(c));
  witgen_resources_host_res_counter_drop_own(c);
  return value;
}

uint32_t exports_witgen_resources_guest_res_merge_counters(uint32_t a, uint32_t b) {
  own_counter_t ca = witgen_resources_host_res_constructor_counter(a);
  own_counter_t cb = witgen_resources_host_res_constructor_counter(b);
  own_counter_t m = witgen_resources_host_res_static_counter_merge(
      witgen_resources_host_res_borrow_counter(ca), witgen_resources_host_res_borrow_counter(cb));
  uint32_t value = witgen_resources_host_res_method_counter_get(witgen_resources_host_res_borrow_counter(m));
  witgen_resources_host_res_counter_drop_own(ca);
  witgen_resources_host_res_counter_drop_own(cb);
  witgen_resources_host_res_counter_drop_own(m);
  return value;
}

uint32_t exports_witgen_resources_guest_res_cycle_counters(uint32_t n) {
  witgen_resources_host_res_list_own_counter_t cs;
  witgen_resources_host_res_make_counters(n, &cs);
  uint32_t total = witgen_resources_host_res_consume_counters(&cs);  // ownership goes to the host
  witgen_resources_host_res_list_own_counter_free(&cs);
  return total;
}

void exports_witgen_resources_guest_res_tagged(resources_string_t *tag, uint32_t start,
                                               resources_tuple2_string_u32_t *ret) {
  witgen_resources_host_res_tagged_counter_t tc;
  witgen_resources_host_res_tag_counter(tag, witgen_resources_host_res_constructor_counter(start), &tc);
  resources_string_free(tag);
  ret->f0 = tc.tag;  // moves
  ret->f1 = witgen_resources_host_res_method_counter_get(witgen_resources_host_res_borrow_counter(tc.c));
  witgen_resources_host_res_counter_drop_own(tc.c);
}

bool exports_witgen_resources_guest_res_maybe(uint32_t *maybe_start, uint32_t *ret, resources_string_t *err) {
  own_counter_t c;
  if (!witgen_resources_host_res_maybe_counter(maybe_start, &c, err)) return false;
  *ret = witgen_resources_host_res_method_counter_get(witgen_resources_host_res_borrow_counter(c));
  witgen_resources_host_res_counter_drop_own(c);
  return true;
}

own_counter_t exports_witgen_resources_guest_res_new_counter(uint32_t start) {
  return witgen_resources_host_res_constructor_counter(start);
}
