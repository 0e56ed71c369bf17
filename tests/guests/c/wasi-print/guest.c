// The `printer` world: WASI preview 1 through wasi-libc (stdio, assert, exit, clocks, random,
// environment, arguments); the world itself has no WASI interface.
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "printer.h"

static uint32_t greetings = 0;

static char *cstr(printer_string_t *s) {
  char *c = malloc(s->len + 1);
  memcpy(c, s->ptr, s->len);
  c[s->len] = 0;
  printer_string_free(s);
  return c;
}

uint32_t exports_printer_greet(printer_string_t *name) {
  char *n = cstr(name);
  char line[256];
  snprintf(line, sizeof line, "Hello, %s!", n);
  printf("%s\n", line);
  fflush(stdout);  // stdout to a pipe is fully buffered, and a reactor never exits
  fprintf(stderr, "greeted %s\n", n);
  printer_string_t msg;
  printer_string_dup(&msg, line);
  printer_log(&msg);
  printer_string_free(&msg);
  free(n);
  return ++greetings;
}

int32_t exports_printer_check(int32_t x) {
  assert(x > 0);
  return x * 2;
}

void exports_printer_quit(int32_t code) {
  printf("bye %d\n", code);
  exit(code);  // flushes stdout, then proc_exit(code)
}

static uint64_t ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void exports_printer_clocks(printer_tuple2_u64_u64_t *ret) {
  ret->f0 = ns(CLOCK_REALTIME);
  ret->f1 = ns(CLOCK_MONOTONIC);
}

void exports_printer_random(uint32_t n, printer_list_u8_t *ret) {
  ret->ptr = malloc(n ? n : 1);
  ret->len = n;
  for (uint32_t i = 0; i < n; i += 256) getentropy(ret->ptr + i, n - i < 256 ? n - i : 256);
}

bool exports_printer_env(printer_string_t *name, printer_string_t *ret) {
  char *n = cstr(name);
  const char *v = getenv(n);
  free(n);
  if (v == NULL) return false;
  printer_string_dup(ret, v);
  return true;
}

// The program arguments, straight from WASI (a reactor has no main(argc, argv)).
void exports_printer_args(printer_list_string_t *ret) {
  __wasi_size_t argc = 0, size = 0;
  ret->ptr = NULL;
  ret->len = 0;
  if (__wasi_args_sizes_get(&argc, &size) != 0 || argc == 0) return;
  char **argv = calloc(argc, sizeof(char *));
  char *buf = malloc(size);
  if (__wasi_args_get((uint8_t **)argv, (uint8_t *)buf) == 0) {
    ret->ptr = calloc(argc, sizeof(printer_string_t));
    ret->len = argc;
    for (size_t i = 0; i < argc; i++) printer_string_dup(&ret->ptr[i], argv[i]);
  }
  free(argv);
  free(buf);
}
