// The shared `hello` world in C; js/hello and py/hello implement the same world, so the three
// can be compared call by call. No stdio (it would pull in WASI imports): strings are built by
// hand.
#include <stdlib.h>
#include <string.h>

#include "hello.h"

typedef struct { uint8_t *buf; size_t len, cap; } strbuf_t;

static void put(strbuf_t *b, const void *data, size_t len) {
  if (b->len + len > b->cap) {
    b->cap = (b->len + len) * 2 + 16;
    b->buf = realloc(b->buf, b->cap);
  }
  memcpy(b->buf + b->len, data, len);
  b->len += len;
}

static void put_str(strbuf_t *b, const char *s) { put(b, s, strlen(s)); }

static void put_u32(strbuf_t *b, uint32_t n) {
  char digits[10];
  int i = 0;
  do { digits[i++] = (char)('0' + n % 10); n /= 10; } while (n);
  while (i) put(b, &digits[--i], 1);
}

static void finish(strbuf_t *b, hello_string_t *ret) {
  ret->ptr = b->buf;
  ret->len = b->len;
}

void exports_hello_greet(hello_string_t *name, hello_string_t *ret) {
  strbuf_t b = {0};
  put_str(&b, "Hello, ");
  put(&b, name->ptr, name->len);
  put_str(&b, "!");
  finish(&b, ret);
  hello_log(ret);
  hello_string_free(name);
}

void exports_hello_describe(hello_person_t *p, hello_string_t *ret) {
  strbuf_t b = {0};
  put(&b, p->name.ptr, p->name.len);
  put_str(&b, " is ");
  put_u32(&b, p->age);
  put_str(&b, " years old");
  finish(&b, ret);
  hello_person_free(p);
}

int64_t exports_hello_sum_list(hello_list_s32_t *xs) {
  int64_t total = 0;
  for (size_t i = 0; i < xs->len; i++) total += xs->ptr[i];
  hello_list_s32_free(xs);
  return total;
}

bool exports_hello_parse_age(hello_string_t *s, uint8_t *ret, hello_string_t *err) {
  uint32_t n = 0;
  bool ok = s->len > 0 && s->len <= 3;
  for (size_t i = 0; ok && i < s->len; i++) {
    if (s->ptr[i] < '0' || s->ptr[i] > '9') ok = false;
    else n = n * 10 + (s->ptr[i] - '0');
  }
  if (ok && n <= 255) {
    *ret = (uint8_t)n;
    hello_string_free(s);
    return true;
  }
  strbuf_t b = {0};
  put_str(&b, "not a number: ");
  put(&b, s->ptr, s->len);
  finish(&b, err);
  hello_string_free(s);
  return false;
}

bool exports_hello_oldest(hello_list_person_t *people, hello_person_t *ret) {
  size_t best = people->len;
  for (size_t i = 0; i < people->len; i++) {
    if (best == people->len || people->ptr[i].age > people->ptr[best].age) best = i;
  }
  if (best == people->len) {
    hello_list_person_free(people);
    return false;
  }
  *ret = people->ptr[best];            // move the chosen person out...
  people->ptr[best].name.len = 0;      // ...so freeing the list leaves its name alone
  hello_list_person_free(people);
  return true;
}
