// World `hello` (wit/hello.wit) in C with hand-written canonical-ABI exports: no generated
// glue, no stdio (so the module imports nothing). Built by guest/Makefile, which the project's
// `guest-build` step runs before the bindings are generated.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;  // malloc's alignment (16) covers every canonical-ABI alignment
  return realloc(old, new_size);
}

static const char GREETING[] = "Hello, ";
static uint32_t ret_area[2];

// greet(name) = "Hello, " + name + "!", returned through a (ptr, len) pair.
__attribute__((export_name("greet")))
uint32_t *greet(uint8_t *name, size_t len) {
  size_t head = sizeof GREETING - 1;
  uint8_t *out = malloc(head + len + 1);
  memcpy(out, GREETING, head);
  memcpy(out + head, name, len);
  out[head + len] = '!';
  free(name);
  ret_area[0] = (uint32_t)(uintptr_t)out;
  ret_area[1] = (uint32_t)(head + len + 1);
  return ret_area;
}

__attribute__((export_name("cabi_post_greet")))
void cabi_post_greet(uint32_t *ret) { free((void *)(uintptr_t)ret[0]); }

__attribute__((export_name("add")))
uint32_t add(uint32_t a, uint32_t b) { return a + b; }

__attribute__((export_name("cabi_post_add")))
void cabi_post_add(uint32_t ret) { (void)ret; }
