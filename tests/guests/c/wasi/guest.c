// The `wasi-guest` world: WASI through wasi-libc (stdio, environment, arguments, a preopened
// directory, clocks, random) and the custom `host-api` import, behind the `app` export. The
// core module imports `wasi_snapshot_preview1`; the component gets WASI 0.2 from the reactor
// adapter (tests/support/guests.py `componentize_core`).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "wasi_guest.h"

#define ENV_NAME "WITGEN_GUEST_GREETING"
#define INPUT_FILE "/data/input.txt"

static void set_err(wasi_guest_string_t *out, const char *what) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s: %s", what, strerror(errno));
  wasi_guest_string_dup(out, buf);
}

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// The program arguments, straight from WASI (a reactor has no main(argc, argv)).
static void read_args(wasi_guest_list_string_t *out) {
  __wasi_size_t argc = 0, size = 0;
  out->ptr = NULL;
  out->len = 0;
  if (__wasi_args_sizes_get(&argc, &size) != 0 || argc == 0) return;
  char **argv = calloc(argc, sizeof(char *));
  char *buf = malloc(size);
  if (__wasi_args_get((uint8_t **)argv, (uint8_t *)buf) == 0) {
    out->ptr = calloc(argc, sizeof(wasi_guest_string_t));
    out->len = argc;
    for (size_t i = 0; i < argc; i++) wasi_guest_string_dup(&out->ptr[i], argv[i]);
  }
  free(argv);
  free(buf);
}

static void read_file(const char *path, exports_witgen_wasi_guest_app_result_string_string_t *out) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    out->is_err = true;
    set_err(&out->val.err, path);
    return;
  }
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  out->is_err = false;
  wasi_guest_string_dup(&out->val.ok, buf);
}

void exports_witgen_wasi_guest_app_run(wasi_guest_string_t *name,
                                       exports_witgen_wasi_guest_app_report_t *ret) {
  uint64_t start = mono_ns();
  memset(ret, 0, sizeof *ret);

  printf("hello, %.*s!\n", (int)name->len, (const char *)name->ptr);
  read_args(&ret->args);
  for (size_t i = 0; i < ret->args.len; i++)
    printf("arg %zu: %.*s\n", i, (int)ret->args.ptr[i].len, (const char *)ret->args.ptr[i].ptr);
  fflush(stdout);
  fprintf(stderr, "guest stderr line\n");
  fflush(stderr);

  const char *env = getenv(ENV_NAME);
  ret->env_value.is_some = env != NULL;
  if (env != NULL) wasi_guest_string_dup(&ret->env_value.val, env);

  read_file(INPUT_FILE, &ret->file_text);

  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  ret->now.seconds = (uint64_t)now.tv_sec;
  ret->now.nanoseconds = (uint32_t)now.tv_nsec;

  uint8_t random[16];
  if (getentropy(random, sizeof random) == 0) {
    ret->random.ptr = malloc(sizeof random);
    memcpy(ret->random.ptr, random, sizeof random);
    ret->random.len = sizeof random;
  }

  // the custom import: ask the host about the environment value (or the name)
  wasi_guest_string_t key;
  if (env != NULL) {
    wasi_guest_string_dup(&key, env);
  } else {
    key.ptr = malloc(name->len);
    memcpy(key.ptr, name->ptr, name->len);
    key.len = name->len;
  }
  ret->looked_up.is_some = witgen_wasi_guest_host_api_lookup(&key, &ret->looked_up.val);
  wasi_guest_string_free(&key);

  char note[128];
  snprintf(note, sizeof note, "%zu args, file %s", ret->args.len,
           ret->file_text.is_err ? "missing" : "read");
  wasi_guest_string_t text;
  wasi_guest_string_dup(&text, note);
  witgen_wasi_guest_host_api_datetime_t at = ret->now;
  ret->notes = witgen_wasi_guest_host_api_take_note(&text, &at);
  wasi_guest_string_free(&text);

  ret->elapsed_ns = mono_ns() - start;
  wasi_guest_string_free(name);
}

bool exports_witgen_wasi_guest_app_write_file(wasi_guest_string_t *path,
                                              wasi_guest_string_t *contents, uint64_t *ret,
                                              wasi_guest_string_t *err) {
  char *p = strndup((const char *)path->ptr, path->len);
  bool ok = false;
  FILE *f = fopen(p, "wb");
  if (f == NULL) {
    set_err(err, p);
  } else {
    size_t n = fwrite(contents->ptr, 1, contents->len, f);
    if (fclose(f) != 0 || n != contents->len) {
      set_err(err, p);
    } else {
      struct stat st;
      if (stat(p, &st) != 0) {
        set_err(err, p);
      } else {
        *ret = (uint64_t)st.st_size;
        ok = true;
      }
    }
  }
  free(p);
  wasi_guest_string_free(path);
  wasi_guest_string_free(contents);
  return ok;
}
