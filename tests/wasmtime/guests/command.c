// A WASI command (`main`), C on wasi-libc: built for wasm32-wasi as a preview 1 command and made
// a component with wasmtime's preview 1 *command* adapter, so it exports `wasi:cli/run`. It
// prints its arguments, an environment variable and a line read from stdin to stdout, a line to
// stderr, and exits with the status its first argument names (0 when there is none).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("hello from a WASI command ✓\n");
  for (int i = 0; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  const char *greeting = getenv("WITGEN_GREETING");
  printf("greeting: %s\n", greeting ? greeting : "(unset)");
  char line[256];
  if (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    printf("stdin: %s\n", line);
  } else {
    printf("stdin: (empty)\n");
  }
  fprintf(stderr, "to stderr\n");
  fflush(stdout);
  return argc > 1 ? atoi(argv[1]) : 0;
}
