// The `dual` world: the guest exports interface `kv` and implements it over the same interface
// imported from the host. Each guest cell owns one host cell; what the guest's `kv` returns is
// what the host's `kv` returned (labels prefixed with "guest:"), so every value crosses both
// ways, and dropping a guest cell drops its host cell.
//
// wit-bindgen c names the imported side `witgen_dual_kv_*` and the exported side
// `exports_witgen_dual_kv_*`. Borrows of the guest's own cells arrive as rep pointers; borrows
// the guest lends the host come from its own handles (no drop needed).
#include <stdlib.h>
#include <string.h>

#include "dual.h"

typedef witgen_dual_kv_own_cell_t host_own_t;
typedef exports_witgen_dual_kv_own_cell_t guest_own_t;

struct exports_witgen_dual_kv_cell_t {
  host_own_t host;  // __handle -1 once given away
};

static uint32_t live_cells = 0;

static guest_own_t wrap(host_own_t host) {
  exports_witgen_dual_kv_cell_t *c = malloc(sizeof *c);
  c->host = host;
  live_cells++;
  return exports_witgen_dual_kv_cell_new(c);
}

static witgen_dual_kv_borrow_cell_t lend(exports_witgen_dual_kv_cell_t *c) {
  return witgen_dual_kv_borrow_cell(c->host);
}

void exports_witgen_dual_kv_cell_destructor(exports_witgen_dual_kv_cell_t *rep) {
  if (rep->host.__handle >= 0) witgen_dual_kv_cell_drop_own(rep->host);
  free(rep);
  live_cells--;
}

guest_own_t exports_witgen_dual_kv_constructor_cell(uint32_t v) {
  return wrap(witgen_dual_kv_constructor_cell(v));
}

uint32_t exports_witgen_dual_kv_method_cell_get(exports_witgen_dual_kv_borrow_cell_t self) {
  return witgen_dual_kv_method_cell_get(lend(self));
}

void exports_witgen_dual_kv_method_cell_set(exports_witgen_dual_kv_borrow_cell_t self, uint32_t v) {
  witgen_dual_kv_method_cell_set(lend(self), v);
}

guest_own_t exports_witgen_dual_kv_static_cell_sum(exports_witgen_dual_kv_borrow_cell_t a,
                                                   exports_witgen_dual_kv_borrow_cell_t b) {
  return wrap(witgen_dual_kv_static_cell_sum(lend(a), lend(b)));
}

void exports_witgen_dual_kv_make(dual_string_t *label, uint32_t v,
                                 exports_witgen_dual_kv_labeled_t *ret) {
  witgen_dual_kv_labeled_t got;
  witgen_dual_kv_make(label, v, &got);
  dual_string_free(label);
  size_t n = got.label.len + 6;
  ret->label.ptr = malloc(n);
  ret->label.len = n;
  memcpy(ret->label.ptr, "guest:", 6);
  memcpy(ret->label.ptr + 6, got.label.ptr, got.label.len);
  dual_string_free(&got.label);
  ret->c = wrap(got.c);
}

uint32_t exports_witgen_dual_kv_read(exports_witgen_dual_kv_labeled_t *l) {
  exports_witgen_dual_kv_cell_t *rep = exports_witgen_dual_kv_cell_rep(l->c);
  witgen_dual_kv_labeled_t give = {l->label, rep->host};
  rep->host.__handle = -1;  // the host gets it
  exports_witgen_dual_kv_cell_drop_own(l->c);
  uint32_t v = witgen_dual_kv_read(&give);
  dual_string_free(&l->label);
  return v;
}

uint32_t exports_witgen_dual_kv_total(exports_witgen_dual_kv_list_borrow_cell_t *cs) {
  witgen_dual_kv_list_borrow_cell_t lent;
  lent.len = cs->len;
  lent.ptr = cs->len ? malloc(cs->len * sizeof *lent.ptr) : NULL;
  for (size_t i = 0; i < cs->len; i++) lent.ptr[i] = lend(cs->ptr[i]);
  uint32_t v = witgen_dual_kv_total(&lent);
  free(lent.ptr);
  exports_witgen_dual_kv_list_borrow_cell_free(cs);
  return v;
}

bool exports_witgen_dual_kv_even(uint32_t v, guest_own_t *ret, dual_string_t *err) {
  host_own_t got;
  if (!witgen_dual_kv_even(v, &got, err)) return false;  // the host's message, passed on
  *ret = wrap(got);
  return true;
}

uint32_t exports_witgen_dual_kv_live(void) { return live_cells; }
