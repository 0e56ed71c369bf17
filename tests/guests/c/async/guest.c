// The `async-guest` world with the component-model async ABI of wit-bindgen c (callback form).
//
// Every `async func` export is a small state machine: the export function starts the task and
// returns a callback code (EXIT, or WAIT on the task's waitable set); wasmtime then calls the
// export's `_callback` with each event until it returns EXIT. A task's state lives in a heap
// `task_t` kept in context slot 0, so several calls of one export can run at the same time.
// Buffers handed to an async-lowered import, a stream or a future stay in the task until the
// operation completes. Nothing here needs WASI (abort paths use `__builtin_trap`).
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "async_guest.h"

typedef async_guest_event_t event_t;
typedef async_guest_string_t string_t;

#define EXIT ASYNC_GUEST_CALLBACK_CODE_EXIT
#define BLOCKED ASYNC_GUEST_WAITABLE_STATUS_BLOCKED
#define STATE(status) ASYNC_GUEST_WAITABLE_STATE(status)
#define COUNT(status) ASYNC_GUEST_WAITABLE_COUNT(status)

#define CHUNK 4

typedef struct task {
  int step;
  uint32_t set;       // the task's waitable set
  uint32_t waitable;  // the subtask, stream end or future end being waited for
  uint32_t x, n, i;   // export arguments and progress
  uint32_t value;     // a u32 result, future value or read item
  uint64_t sum;
  uint32_t reader, writer;
  uint32_t nums[CHUNK];
  uint8_t bytes[16];
  string_t a, b, str;
  string_t words[CHUNK];
  uint32_t got, written;
  bool last;          // the stream being read has ended
  witgen_concurrency_host_own_counter_t counter;
  struct exports_witgen_concurrency_pipes_tally_t *tally;
} task_t;

static task_t *task_new(void) {
  task_t *t = calloc(1, sizeof *t);
  if (!t) __builtin_trap();
  t->set = async_guest_waitable_set_new();
  async_guest_context_set_0(t);
  return t;
}

static task_t *task_get(void) {
  task_t *t = async_guest_context_get_0();
  if (!t) __builtin_trap();
  return t;
}

static uint32_t task_exit(task_t *t) {
  async_guest_waitable_set_drop(t->set);
  async_guest_context_set_0(NULL);
  free(t);
  return EXIT;
}

// Waits for `waitable` (a subtask, a stream end or a future end).
static uint32_t task_wait(task_t *t, uint32_t waitable) {
  t->waitable = waitable;
  async_guest_waitable_join(waitable, t->set);
  return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
}

// Stops waiting for the current waitable (before dropping it or the set).
static void task_unjoin(task_t *t) {
  if (t->waitable) async_guest_waitable_join(t->waitable, 0);
  t->waitable = 0;
}

// After an async-lowered import call: true when it has already returned; otherwise the
// task must wait for the subtask (`task_wait(t, t->waitable)`).
static bool call_returned(task_t *t, async_guest_subtask_status_t status) {
  if (ASYNC_GUEST_SUBTASK_STATE(status) == ASYNC_GUEST_SUBTASK_RETURNED) return true;
  t->waitable = ASYNC_GUEST_SUBTASK_HANDLE(status);
  return false;
}

// In a callback: true when the awaited subtask has returned (the subtask is then dropped).
static bool subtask_event_returned(task_t *t, const event_t *ev) {
  if (ev->event != ASYNC_GUEST_EVENT_SUBTASK || ev->waitable != t->waitable) __builtin_trap();
  if (ev->code != ASYNC_GUEST_SUBTASK_RETURNED) return false;
  uint32_t subtask = t->waitable;
  task_unjoin(t);
  async_guest_subtask_drop(subtask);
  return true;
}

// In a callback: the status of the stream/future operation being waited for.
static uint32_t io_event_status(task_t *t, const event_t *ev, async_guest_event_code_t kind) {
  if (ev->event != kind || ev->waitable != t->waitable) __builtin_trap();
  task_unjoin(t);
  return ev->code;
}

static const char *status_name(uint32_t status) {
  if (status == BLOCKED) return "blocked";
  switch (STATE(status)) {
    case ASYNC_GUEST_WAITABLE_COMPLETED: return "completed";
    case ASYNC_GUEST_WAITABLE_DROPPED: return "dropped";
    case ASYNC_GUEST_WAITABLE_CANCELLED: return "cancelled";
  }
  return "unknown";
}

// --- awaiting host imports -------------------------------------------------------------------

// double-plus-one: slow-double(x, x) + 1
async_guest_callback_code_t exports_async_guest_double_plus_one(uint32_t x) {
  task_t *t = task_new();
  if (!call_returned(t, witgen_concurrency_host_slow_double(x, x, &t->value)))
    return task_wait(t, t->waitable);
  exports_async_guest_double_plus_one_return(t->value + 1);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_double_plus_one_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  exports_async_guest_double_plus_one_return(t->value + 1);
  return task_exit(t);
}

// greet: slow-concat("hello, ", name)
static uint32_t greet_finish(task_t *t) {
  exports_async_guest_greet_return(t->str);  // task.return copies the string out
  async_guest_string_free(&t->str);
  async_guest_string_free(&t->b);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_greet(string_t *name) {
  task_t *t = task_new();
  async_guest_string_set(&t->a, "hello, ");
  t->b = *name;  // owned by this task; the import reads it when the subtask starts
  if (!call_returned(t, async_guest_slow_concat(t->a, t->b, &t->str))) return task_wait(t, t->waitable);
  return greet_finish(t);
}

async_guest_callback_code_t exports_async_guest_greet_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  return greet_finish(t);
}

// sync-double: a synchronous export calling the async import. When the import has not returned
// at once, it blocks in waitable-set.wait (which a synchronous task may not do).
uint32_t exports_async_guest_sync_double(uint32_t x, uint32_t yields) {
  uint32_t result = 0;
  async_guest_subtask_status_t status = witgen_concurrency_host_slow_double(x, yields, &result);
  if (ASYNC_GUEST_SUBTASK_STATE(status) != ASYNC_GUEST_SUBTASK_RETURNED) {
    uint32_t subtask = ASYNC_GUEST_SUBTASK_HANDLE(status);
    uint32_t set = async_guest_waitable_set_new();
    async_guest_waitable_join(subtask, set);
    event_t ev;
    do {
      async_guest_waitable_set_wait(set, &ev);
    } while (ev.code != ASYNC_GUEST_SUBTASK_RETURNED);
    async_guest_waitable_join(subtask, 0);
    async_guest_subtask_drop(subtask);
    async_guest_waitable_set_drop(set);
  }
  return result;
}

// trap-after-await: awaits slow-double(x, 1), then traps
async_guest_callback_code_t exports_async_guest_trap_after_await(uint32_t x) {
  task_t *t = task_new();
  if (!call_returned(t, witgen_concurrency_host_slow_double(x, 1, &t->value)))
    return task_wait(t, t->waitable);
  __builtin_trap();
}

async_guest_callback_code_t exports_async_guest_trap_after_await_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  __builtin_trap();
}

// --- futures ---------------------------------------------------------------------------------

// Reads the u32 future `t->reader`; returns false (waiting) or true with the value in t->value.
static bool future_u32_read(task_t *t, uint32_t *status_out) {
  uint32_t status = witgen_concurrency_host_future_u32_read(t->reader, &t->value);
  *status_out = status;
  return status != BLOCKED;
}

// triple-future: 3 * the value of the host's future
static uint32_t triple_finish(task_t *t, uint32_t status) {
  if (STATE(status) != ASYNC_GUEST_WAITABLE_COMPLETED) __builtin_trap();
  witgen_concurrency_host_future_u32_drop_readable(t->reader);
  exports_async_guest_triple_future_return(3 * t->value);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_triple_future(witgen_concurrency_host_future_u32_t f) {
  task_t *t = task_new();
  t->reader = f;
  uint32_t status;
  if (!future_u32_read(t, &status)) return task_wait(t, t->reader);
  return triple_finish(t, status);
}

async_guest_callback_code_t exports_async_guest_triple_future_callback(event_t *ev) {
  task_t *t = task_get();
  return triple_finish(t, io_event_status(t, ev, ASYNC_GUEST_EVENT_FUTURE_READ));
}

// host-future-plus-one: the value of the future value-later(x) gives, plus one
enum { HF_CALL, HF_READ };

static uint32_t host_future_read(task_t *t) {
  uint32_t status;
  t->step = HF_READ;
  if (!future_u32_read(t, &status)) return task_wait(t, t->reader);
  if (STATE(status) != ASYNC_GUEST_WAITABLE_COMPLETED) __builtin_trap();
  witgen_concurrency_host_future_u32_drop_readable(t->reader);
  exports_async_guest_host_future_plus_one_return(t->value + 1);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_host_future_plus_one(uint32_t x) {
  task_t *t = task_new();
  t->step = HF_CALL;
  if (!call_returned(t, witgen_concurrency_host_value_later(x, &t->reader)))
    return task_wait(t, t->waitable);
  return host_future_read(t);
}

async_guest_callback_code_t exports_async_guest_host_future_plus_one_callback(event_t *ev) {
  task_t *t = task_get();
  if (t->step == HF_CALL) {
    if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
    return host_future_read(t);
  }
  uint32_t status = io_event_status(t, ev, ASYNC_GUEST_EVENT_FUTURE_READ);
  if (STATE(status) != ASYNC_GUEST_WAITABLE_COMPLETED) __builtin_trap();
  witgen_concurrency_host_future_u32_drop_readable(t->reader);
  exports_async_guest_host_future_plus_one_return(t->value + 1);
  return task_exit(t);
}

// make-future: returns a future, then writes `s` reversed to it
static uint32_t make_future_done(task_t *t) {
  async_guest_future_string_drop_writable(t->writer);
  async_guest_string_free(&t->str);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_make_future(string_t *s) {
  task_t *t = task_new();
  t->str = *s;
  for (size_t i = 0, j = s->len; i + 1 < j; i++, j--) {
    uint8_t c = t->str.ptr[i];
    t->str.ptr[i] = t->str.ptr[j - 1];
    t->str.ptr[j - 1] = c;
  }
  async_guest_future_string_t reader = async_guest_future_string_new(&t->writer);
  exports_async_guest_make_future_return(reader);
  if (async_guest_future_string_write(t->writer, &t->str) == BLOCKED) return task_wait(t, t->writer);
  return make_future_done(t);
}

async_guest_callback_code_t exports_async_guest_make_future_callback(event_t *ev) {
  task_t *t = task_get();
  io_event_status(t, ev, ASYNC_GUEST_EVENT_FUTURE_WRITE);
  return make_future_done(t);
}

// write-to-dropped: hands a future's reader to drop-future, then writes to it
static uint32_t write_to_dropped_write(task_t *t) {
  t->value = 7;
  uint32_t status = witgen_concurrency_host_future_u32_write(t->writer, &t->value);
  if (status == BLOCKED) status = witgen_concurrency_host_future_u32_cancel_write(t->writer);
  string_t s;
  async_guest_string_set(&s, status_name(status));
  exports_async_guest_write_to_dropped_return(s);
  witgen_concurrency_host_future_u32_drop_writable(t->writer);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_write_to_dropped(void) {
  task_t *t = task_new();
  witgen_concurrency_host_future_u32_t reader = witgen_concurrency_host_future_u32_new(&t->writer);
  if (!call_returned(t, witgen_concurrency_host_drop_future(reader))) return task_wait(t, t->waitable);
  return write_to_dropped_write(t);
}

async_guest_callback_code_t exports_async_guest_write_to_dropped_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  return write_to_dropped_write(t);
}

// forgotten-future: drops the writer of a future it never wrote (a trap)
witgen_concurrency_host_future_u32_t exports_async_guest_forgotten_future(void) {
  witgen_concurrency_host_future_u32_writer_t writer;
  witgen_concurrency_host_future_u32_t reader = witgen_concurrency_host_future_u32_new(&writer);
  witgen_concurrency_host_future_u32_drop_writable(writer);
  return reader;
}

// --- streams ---------------------------------------------------------------------------------

// sum-bytes: (count, sum) of the host's bytes
static uint32_t sum_bytes_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->reader);
    for (uint32_t k = 0; k < COUNT(status); k++) t->sum += t->bytes[k];
    t->n += COUNT(status);
    if (STATE(status) == ASYNC_GUEST_WAITABLE_DROPPED) break;
    status = exports_witgen_concurrency_pipes_stream_u8_read(t->reader, t->bytes, sizeof t->bytes);
  }
  exports_witgen_concurrency_pipes_stream_u8_drop_readable(t->reader);
  async_guest_tuple2_u32_u64_t ret = {t->n, t->sum};
  exports_witgen_concurrency_pipes_sum_bytes_return(ret);
  return task_exit(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_sum_bytes(exports_witgen_concurrency_pipes_stream_u8_t s) {
  task_t *t = task_new();
  t->reader = s;
  return sum_bytes_run(t, exports_witgen_concurrency_pipes_stream_u8_read(s, t->bytes, sizeof t->bytes));
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_sum_bytes_callback(event_t *ev) {
  task_t *t = task_get();
  return sum_bytes_run(t, io_event_status(t, ev, ASYNC_GUEST_EVENT_STREAM_READ));
}

// count-up: writes start .. start + n - 1, at most 3 per write
static uint32_t count_up_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->writer);
    t->i += COUNT(status);
    if (STATE(status) == ASYNC_GUEST_WAITABLE_DROPPED || t->i >= t->n) break;
    uint32_t k = t->n - t->i < 3 ? t->n - t->i : 3;
    for (uint32_t j = 0; j < k; j++) t->nums[j] = t->x + t->i + j;
    status = witgen_concurrency_host_stream_u32_write(t->writer, t->nums, k);
  }
  witgen_concurrency_host_stream_u32_drop_writable(t->writer);
  return task_exit(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_count_up(uint32_t start, uint32_t n) {
  task_t *t = task_new();
  t->x = start;
  t->n = n;
  witgen_concurrency_host_stream_u32_t reader =
      witgen_concurrency_host_stream_u32_new(&t->writer);
  exports_witgen_concurrency_pipes_count_up_return(reader);
  return count_up_run(t, 0);  // "completed 0 items": start writing
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_count_up_callback(event_t *ev) {
  task_t *t = task_get();
  return count_up_run(t, io_event_status(t, ev, ASYNC_GUEST_EVENT_STREAM_WRITE));
}

// shout: reads up to CHUNK words, writes them back upper-cased with "!", repeats
enum { SH_READ, SH_WRITE };

// An empty string's pointer does not come from malloc (cabi_realloc hands out `align` for
// zero-size allocations), so only a non-empty word is grown in place.
static void shout_word(string_t *w) {
  uint8_t *p = w->len ? realloc(w->ptr, w->len + 1) : malloc(1);
  if (!p) __builtin_trap();
  for (size_t i = 0; i < w->len; i++)
    if (p[i] >= 'a' && p[i] <= 'z') p[i] -= 'a' - 'A';
  p[w->len] = '!';
  w->ptr = p;
  w->len += 1;
}

static uint32_t shout_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->step == SH_READ ? t->reader : t->writer);
    if (t->step == SH_READ) {
      t->got = COUNT(status);
      t->last = STATE(status) == ASYNC_GUEST_WAITABLE_DROPPED;
      for (uint32_t k = 0; k < t->got; k++) shout_word(&t->words[k]);
      t->written = 0;
      t->step = SH_WRITE;
      status = 0;  // "completed 0 items": start writing
      continue;
    }
    // SH_WRITE
    t->written += COUNT(status);
    bool reader_gone = STATE(status) == ASYNC_GUEST_WAITABLE_DROPPED;
    if (t->written < t->got && !reader_gone) {
      status = exports_witgen_concurrency_pipes_stream_string_write(
          t->writer, t->words + t->written, t->got - t->written);
      continue;
    }
    for (uint32_t k = 0; k < t->got; k++) async_guest_string_free(&t->words[k]);
    t->got = t->written = 0;
    if (t->last || reader_gone) break;
    t->step = SH_READ;
    status = exports_witgen_concurrency_pipes_stream_string_read(t->reader, t->words, CHUNK);
  }
  exports_witgen_concurrency_pipes_stream_string_drop_writable(t->writer);
  exports_witgen_concurrency_pipes_stream_string_drop_readable(t->reader);
  return task_exit(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_shout(exports_witgen_concurrency_pipes_stream_string_t words) {
  task_t *t = task_new();
  t->reader = words;
  exports_witgen_concurrency_pipes_stream_string_t out =
      exports_witgen_concurrency_pipes_stream_string_new(&t->writer);
  exports_witgen_concurrency_pipes_shout_return(out);
  t->step = SH_READ;
  return shout_run(t, exports_witgen_concurrency_pipes_stream_string_read(words, t->words, CHUNK));
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_shout_callback(event_t *ev) {
  task_t *t = task_get();
  async_guest_event_code_t kind =
      t->step == SH_READ ? ASYNC_GUEST_EVENT_STREAM_READ : ASYNC_GUEST_EVENT_STREAM_WRITE;
  return shout_run(t, io_event_status(t, ev, kind));
}

// sum-host-numbers: sums the stream of numbers(start, n)
enum { SN_CALL, SN_READ };

static uint32_t sum_numbers_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->reader);
    for (uint32_t k = 0; k < COUNT(status); k++) t->sum += t->nums[k];
    if (STATE(status) == ASYNC_GUEST_WAITABLE_DROPPED) break;
    status = witgen_concurrency_host_stream_u32_read(t->reader, t->nums, CHUNK);
  }
  witgen_concurrency_host_stream_u32_drop_readable(t->reader);
  exports_witgen_concurrency_pipes_sum_host_numbers_return(t->sum);
  return task_exit(t);
}

static uint32_t sum_numbers_start(task_t *t) {
  t->step = SN_READ;
  return sum_numbers_run(t, witgen_concurrency_host_stream_u32_read(t->reader, t->nums, CHUNK));
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_sum_host_numbers(uint32_t start, uint32_t n) {
  task_t *t = task_new();
  t->step = SN_CALL;
  if (!call_returned(t, witgen_concurrency_host_numbers(start, n, &t->reader)))
    return task_wait(t, t->waitable);
  return sum_numbers_start(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_sum_host_numbers_callback(event_t *ev) {
  task_t *t = task_get();
  if (t->step == SN_CALL) {
    if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
    return sum_numbers_start(t);
  }
  return sum_numbers_run(t, io_event_status(t, ev, ASYNC_GUEST_EVENT_STREAM_READ));
}

// --- resources with async methods ------------------------------------------------------------

// count-with: a host counter, one awaited async method call, then the counter is dropped
static uint32_t count_with_finish(task_t *t) {
  witgen_concurrency_host_counter_drop_own(t->counter);
  exports_async_guest_count_with_return(t->value);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_count_with(uint32_t start, uint32_t n) {
  task_t *t = task_new();
  t->counter = witgen_concurrency_host_constructor_counter(start);
  witgen_concurrency_host_borrow_counter_t self = witgen_concurrency_host_borrow_counter(t->counter);
  if (!call_returned(t, witgen_concurrency_host_method_counter_add(self, n, &t->value)))
    return task_wait(t, t->waitable);
  return count_with_finish(t);
}

async_guest_callback_code_t exports_async_guest_count_with_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  return count_with_finish(t);
}

// tally: a guest resource whose async method awaits the host
struct exports_witgen_concurrency_pipes_tally_t {
  uint32_t total;
};

static uint32_t tallies_alive = 0;

exports_witgen_concurrency_pipes_own_tally_t exports_witgen_concurrency_pipes_constructor_tally(void) {
  exports_witgen_concurrency_pipes_tally_t *rep = calloc(1, sizeof *rep);
  if (!rep) __builtin_trap();
  tallies_alive++;
  return exports_witgen_concurrency_pipes_tally_new(rep);
}

void exports_witgen_concurrency_pipes_tally_destructor(exports_witgen_concurrency_pipes_tally_t *rep) {
  free(rep);
  tallies_alive--;
}

uint32_t exports_witgen_concurrency_pipes_tallies_alive(void) { return tallies_alive; }

static uint32_t tally_add_finish(task_t *t) {
  t->tally->total += t->value;
  exports_witgen_concurrency_pipes_method_tally_add_return(t->tally->total);
  return task_exit(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_method_tally_add(
    exports_witgen_concurrency_pipes_borrow_tally_t self, uint32_t n) {
  task_t *t = task_new();
  t->tally = self;  // a borrow of the guest's own resource: its rep, nothing to drop
  if (!call_returned(t, witgen_concurrency_host_slow_double(n, 1, &t->value)))
    return task_wait(t, t->waitable);
  return tally_add_finish(t);
}

async_guest_callback_code_t exports_witgen_concurrency_pipes_method_tally_add_callback(event_t *ev) {
  task_t *t = task_get();
  if (!subtask_event_returned(t, ev)) return ASYNC_GUEST_CALLBACK_CODE_WAIT(t->set);
  return tally_add_finish(t);
}

// --- cancellation ----------------------------------------------------------------------------

static const char *subtask_state_name(uint32_t state) {
  switch (state) {
    case ASYNC_GUEST_SUBTASK_STARTING: return "starting";
    case ASYNC_GUEST_SUBTASK_STARTED: return "started";
    case ASYNC_GUEST_SUBTASK_RETURNED: return "returned";
    case ASYNC_GUEST_SUBTASK_STARTED_CANCELLED: return "started-cancelled";
    case ASYNC_GUEST_SUBTASK_RETURNED_CANCELLED: return "returned-cancelled";
  }
  return "unknown";
}

// Returns "<what>=<value>" through `ret` (a string the task owns until task.return).
static void return_named(void (*ret)(string_t), const char *what, uint32_t value) {
  char buf[48];  // no snprintf: it would pull in WASI
  size_t n = strlen(what);
  memcpy(buf, what, n);
  buf[n++] = '=';
  char digits[10];
  size_t k = 0;
  do digits[k++] = (char)('0' + value % 10); while ((value /= 10) != 0);
  while (k) buf[n++] = digits[--k];
  string_t s = {(uint8_t *)buf, n};
  ret(s);  // task.return copies the string out
}

// cancel-slow-double: slow-double(x, yields), cancelled if it does not answer at once
async_guest_callback_code_t exports_async_guest_cancel_slow_double(uint32_t x, uint32_t yields) {
  task_t *t = task_new();
  async_guest_subtask_status_t status = witgen_concurrency_host_slow_double(x, yields, &t->value);
  uint32_t state = ASYNC_GUEST_SUBTASK_STATE(status);
  if (state != ASYNC_GUEST_SUBTASK_RETURNED) {
    async_guest_subtask_t subtask = ASYNC_GUEST_SUBTASK_HANDLE(status);
    // the synchronous `subtask.cancel` blocks until the subtask has returned or was cancelled
    state = ASYNC_GUEST_SUBTASK_STATE(async_guest_subtask_cancel(subtask));
    async_guest_subtask_drop(subtask);
  }
  return_named(exports_async_guest_cancel_slow_double_return, subtask_state_name(state), t->value);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_cancel_slow_double_callback(event_t *ev) {
  (void)ev;
  __builtin_trap();  // the export never waits
}

// cancel-future-read: reads the host's future, cancels the read if it blocks
async_guest_callback_code_t exports_async_guest_cancel_future_read(witgen_concurrency_host_future_u32_t f) {
  task_t *t = task_new();
  t->reader = f;
  uint32_t status = witgen_concurrency_host_future_u32_read(f, &t->value);
  if (status == BLOCKED) status = witgen_concurrency_host_future_u32_cancel_read(f);
  witgen_concurrency_host_future_u32_drop_readable(f);
  return_named(exports_async_guest_cancel_future_read_return, status_name(status), t->value);
  return task_exit(t);
}

async_guest_callback_code_t exports_async_guest_cancel_future_read_callback(event_t *ev) {
  (void)ev;
  __builtin_trap();  // the export never waits
}
