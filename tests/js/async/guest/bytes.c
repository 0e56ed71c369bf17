// The `bytes-guest` world (world.wit) with wit-bindgen c's callback-ABI async glue: each async
// export is a state machine whose state lives in context slot 0, so calls can overlap.
#include <stdbool.h>
#include <stdlib.h>

#include "bytes_guest.h"

typedef bytes_guest_event_t event_t;

#define EXIT BYTES_GUEST_CALLBACK_CODE_EXIT
#define WAIT BYTES_GUEST_CALLBACK_CODE_WAIT
#define BLOCKED BYTES_GUEST_WAITABLE_STATUS_BLOCKED
#define STATE(s) BYTES_GUEST_WAITABLE_STATE(s)
#define COUNT(s) BYTES_GUEST_WAITABLE_COUNT(s)
#define DROPPED BYTES_GUEST_WAITABLE_DROPPED

enum { READ, WRITE, CALL, FUT };

typedef struct task {
  int step;
  uint32_t set, waitable;
  uint32_t n, chunk, done;  // produce: total, bytes per write, bytes taken by the reader
  uint32_t reader, writer;
  uint32_t got, put;        // inc-bytes: bytes read, bytes of them written
  int last;                 // the stream being read has ended
  uint32_t value;
  uint32_t fw, inner;       // later-bytes: the future's writer, the stream sent through it
  uint64_t sum;
  bytes_guest_list_u8_t lists[4];
  bytes_guest_tagged_t tags[4];
  uint8_t buf[4096];
} task_t;

static uint32_t produced_total = 0;
static uint8_t pattern[65536 + 256];

static task_t *task_new(void) {
  task_t *t = calloc(1, sizeof *t);
  if (!t) __builtin_trap();
  t->set = bytes_guest_waitable_set_new();
  bytes_guest_context_set_0(t);
  return t;
}

static task_t *task_get(void) {
  task_t *t = bytes_guest_context_get_0();
  if (!t) __builtin_trap();
  return t;
}

static uint32_t task_exit(task_t *t) {
  bytes_guest_waitable_set_drop(t->set);
  bytes_guest_context_set_0(NULL);
  free(t);
  return EXIT;
}

static uint32_t task_wait(task_t *t, uint32_t w) {
  t->waitable = w;
  bytes_guest_waitable_join(w, t->set);
  return WAIT(t->set);
}

// the status of the copy the task waited for
static uint32_t event_status(task_t *t, event_t *ev, uint32_t kind) {
  if (ev->event != kind || ev->waitable != t->waitable) __builtin_trap();
  bytes_guest_waitable_join(t->waitable, 0);
  t->waitable = 0;
  return ev->code;
}

// --- produce ---------------------------------------------------------------------------------

static uint32_t produce_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->writer);
    t->done += COUNT(status);
    produced_total += COUNT(status);
    if (STATE(status) == DROPPED || t->done >= t->n) break;
    uint32_t k = t->n - t->done < t->chunk ? t->n - t->done : t->chunk;
    status = bytes_guest_stream_u8_write(t->writer, pattern + (t->done & 255), k);
  }
  bytes_guest_stream_u8_drop_writable(t->writer);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_produce(uint32_t n, uint32_t chunk) {
  if (chunk == 0 || chunk > 65536) __builtin_trap();
  if (pattern[1] == 0)
    for (uint32_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)i;
  task_t *t = task_new();
  t->n = n;
  t->chunk = chunk;
  bytes_guest_stream_u8_t reader = bytes_guest_stream_u8_new(&t->writer);
  exports_bytes_guest_produce_return(reader);
  return produce_run(t, 0);  // "completed 0 bytes": start writing
}

bytes_guest_callback_code_t exports_bytes_guest_produce_callback(event_t *ev) {
  task_t *t = task_get();
  return produce_run(t, event_status(t, ev, BYTES_GUEST_EVENT_STREAM_WRITE));
}

uint32_t exports_bytes_guest_produced(void) { return produced_total; }

// --- inc-bytes -------------------------------------------------------------------------------

static uint32_t inc_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->step == READ ? t->reader : t->writer);
    if (t->step == READ) {
      t->got = COUNT(status);
      t->last = STATE(status) == DROPPED;
      for (uint32_t i = 0; i < t->got; i++) t->buf[i]++;
      t->put = 0;
      t->step = WRITE;
      status = 0;
      continue;
    }
    t->put += COUNT(status);
    int gone = STATE(status) == DROPPED;
    if (t->put < t->got && !gone) {
      status = bytes_guest_stream_u8_write(t->writer, t->buf + t->put, t->got - t->put);
      continue;
    }
    if (t->last || gone) break;
    t->step = READ;
    status = bytes_guest_stream_u8_read(t->reader, t->buf, sizeof t->buf);
  }
  bytes_guest_stream_u8_drop_writable(t->writer);
  bytes_guest_stream_u8_drop_readable(t->reader);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_inc_bytes(bytes_guest_stream_u8_t s) {
  task_t *t = task_new();
  t->reader = s;
  bytes_guest_stream_u8_t out = bytes_guest_stream_u8_new(&t->writer);
  exports_bytes_guest_inc_bytes_return(out);
  t->step = READ;
  return inc_run(t, bytes_guest_stream_u8_read(s, t->buf, sizeof t->buf));
}

bytes_guest_callback_code_t exports_bytes_guest_inc_bytes_callback(event_t *ev) {
  task_t *t = task_get();
  uint32_t kind = t->step == READ ? BYTES_GUEST_EVENT_STREAM_READ : BYTES_GUEST_EVENT_STREAM_WRITE;
  return inc_run(t, event_status(t, ev, kind));
}

// --- bump-future -----------------------------------------------------------------------------

static uint32_t bump_call(task_t *t) {
  t->step = CALL;
  bytes_guest_subtask_status_t s = bytes_guest_bump(t->value, &t->value);
  if (BYTES_GUEST_SUBTASK_STATE(s) != BYTES_GUEST_SUBTASK_RETURNED)
    return task_wait(t, BYTES_GUEST_SUBTASK_HANDLE(s));
  exports_bytes_guest_bump_future_return(t->value);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_bump_future(bytes_guest_future_u32_t f) {
  task_t *t = task_new();
  t->reader = f;
  t->step = READ;
  uint32_t status = bytes_guest_future_u32_read(f, &t->value);
  if (status == BLOCKED) return task_wait(t, f);
  bytes_guest_future_u32_drop_readable(f);
  return bump_call(t);
}

// the host cancelled the call: cancel what the task waits for, then task.cancel
static uint32_t bump_cancelled(task_t *t) {
  uint32_t w = t->waitable;
  bytes_guest_waitable_join(w, 0);
  if (t->step == READ) {
    if (bytes_guest_future_u32_cancel_read(w) == BLOCKED) __builtin_trap();
    bytes_guest_future_u32_drop_readable(w);
  } else {
    bytes_guest_subtask_cancel(w);
    bytes_guest_subtask_drop(w);
  }
  bytes_guest_task_cancel();
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_bump_future_callback(event_t *ev) {
  task_t *t = task_get();
  if (ev->event == BYTES_GUEST_EVENT_CANCEL) return bump_cancelled(t);
  if (t->step == READ) {
    event_status(t, ev, BYTES_GUEST_EVENT_FUTURE_READ);
    bytes_guest_future_u32_drop_readable(t->reader);
    return bump_call(t);
  }
  if (ev->event != BYTES_GUEST_EVENT_SUBTASK || ev->waitable != t->waitable) __builtin_trap();
  if (ev->code != BYTES_GUEST_SUBTASK_RETURNED) return WAIT(t->set);
  uint32_t sub = t->waitable;
  bytes_guest_waitable_join(sub, 0);
  bytes_guest_subtask_drop(sub);
  exports_bytes_guest_bump_future_return(t->value);
  return task_exit(t);
}

// --- gate, ticket, spin, loopback --------------------------------------------------------------

void exports_bytes_guest_gate(bool closed) {
  if (closed) bytes_guest_backpressure_inc();
  else bytes_guest_backpressure_dec();
}

static uint32_t tickets = 0;

bytes_guest_callback_code_t exports_bytes_guest_ticket(void) {
  exports_bytes_guest_ticket_return(tickets++);
  return EXIT;
}

bytes_guest_callback_code_t exports_bytes_guest_ticket_callback(event_t *ev) {
  (void)ev;
  __builtin_trap();  // never waits
}

bytes_guest_callback_code_t exports_bytes_guest_spin(uint32_t n) {
  task_t *t = task_new();
  t->n = n;
  if (n == 0) {
    exports_bytes_guest_spin_return(0);
    return task_exit(t);
  }
  return BYTES_GUEST_CALLBACK_CODE_YIELD;
}

bytes_guest_callback_code_t exports_bytes_guest_spin_callback(event_t *ev) {
  task_t *t = task_get();
  if (ev->event == BYTES_GUEST_EVENT_CANCEL) {
    bytes_guest_task_cancel();
    return task_exit(t);
  }
  if (ev->event != BYTES_GUEST_EVENT_NONE) __builtin_trap();
  bytes_guest_event_t polled;
  bytes_guest_waitable_set_poll(t->set, &polled);
  if (polled.event != BYTES_GUEST_EVENT_NONE) __builtin_trap();
  if (++t->done < t->n) return BYTES_GUEST_CALLBACK_CODE_YIELD;
  exports_bytes_guest_spin_return(t->done);
  return task_exit(t);
}

static uint8_t loop_out[4096];

bytes_guest_callback_code_t exports_bytes_guest_loopback(uint32_t n) {
  if (n > sizeof loop_out) __builtin_trap();
  if (pattern[1] == 0)
    for (uint32_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)i;
  task_t *t = task_new();
  t->n = n;
  t->reader = bytes_guest_stream_u8_new(&t->writer);
  // no reader yet: the write waits; the read then takes its bytes at once
  uint32_t w = bytes_guest_stream_u8_write(t->writer, pattern, n);
  if (w != BLOCKED) __builtin_trap();
  uint32_t r = bytes_guest_stream_u8_read(t->reader, t->buf, sizeof t->buf);
  if (r == BLOCKED || COUNT(r) != n) __builtin_trap();
  for (uint32_t i = 0; i < n; i++) t->value += t->buf[i];
  return task_wait(t, t->writer);
}

bytes_guest_callback_code_t exports_bytes_guest_loopback_callback(event_t *ev) {
  task_t *t = task_get();
  uint32_t status = event_status(t, ev, BYTES_GUEST_EVENT_STREAM_WRITE);
  if (STATE(status) != BYTES_GUEST_WAITABLE_COMPLETED || COUNT(status) != t->n) __builtin_trap();
  bytes_guest_stream_u8_drop_writable(t->writer);
  bytes_guest_stream_u8_drop_readable(t->reader);
  exports_bytes_guest_loopback_return(t->value);
  return task_exit(t);
}

// --- later-bytes, sum-lists ------------------------------------------------------------------

static uint32_t later_sent(task_t *t, uint32_t status) {
  if (STATE(status) != BYTES_GUEST_WAITABLE_COMPLETED) __builtin_trap();
  bytes_guest_future_stream_u8_drop_writable(t->fw);
  t->step = WRITE;
  return produce_run(t, 0);  // the stream's readable end went with the future: write the bytes
}

bytes_guest_callback_code_t exports_bytes_guest_later_bytes(uint32_t n) {
  if (pattern[1] == 0)
    for (uint32_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)i;
  task_t *t = task_new();
  t->n = n;
  t->chunk = 1000;
  exports_bytes_guest_later_bytes_return(bytes_guest_future_stream_u8_new(&t->fw));
  t->inner = bytes_guest_stream_u8_new(&t->writer);
  t->step = FUT;
  uint32_t status = bytes_guest_future_stream_u8_write(t->fw, &t->inner);
  if (status == BLOCKED) return task_wait(t, t->fw);
  return later_sent(t, status);
}

bytes_guest_callback_code_t exports_bytes_guest_later_bytes_callback(event_t *ev) {
  task_t *t = task_get();
  if (t->step == FUT) return later_sent(t, event_status(t, ev, BYTES_GUEST_EVENT_FUTURE_WRITE));
  return produce_run(t, event_status(t, ev, BYTES_GUEST_EVENT_STREAM_WRITE));
}

static uint32_t lists_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->reader);
    for (uint32_t k = 0; k < COUNT(status); k++) {
      for (size_t i = 0; i < t->lists[k].len; i++) t->sum += t->lists[k].ptr[i];
      bytes_guest_list_u8_free(&t->lists[k]);
    }
    t->got += COUNT(status);
    if (STATE(status) == DROPPED) break;
    status = bytes_guest_stream_list_u8_read(t->reader, t->lists, 4);
  }
  bytes_guest_stream_list_u8_drop_readable(t->reader);
  bytes_guest_tuple2_u32_u64_t ret = {t->got, t->sum};
  exports_bytes_guest_sum_lists_return(ret);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_sum_lists(bytes_guest_stream_list_u8_t s) {
  task_t *t = task_new();
  t->reader = s;
  return lists_run(t, bytes_guest_stream_list_u8_read(s, t->lists, 4));
}

bytes_guest_callback_code_t exports_bytes_guest_sum_lists_callback(event_t *ev) {
  task_t *t = task_get();
  return lists_run(t, event_status(t, ev, BYTES_GUEST_EVENT_STREAM_READ));
}

// --- sum-streams: a stream of streams ----------------------------------------------------------

static uint32_t streams_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->step == READ ? t->reader : t->inner);
    if (t->step == READ) {  // the outer stream: one inner stream's readable end, or its end
      if (COUNT(status) == 0) {
        if (STATE(status) == DROPPED) break;
        status = bytes_guest_stream_stream_u8_read(t->reader, &t->inner, 1);
        continue;
      }
      t->got++;
      t->step = WRITE;  // (reading the inner stream)
      status = bytes_guest_stream_u8_read(t->inner, t->buf, sizeof t->buf);
      continue;
    }
    for (uint32_t i = 0; i < COUNT(status); i++) t->sum += t->buf[i];
    if (STATE(status) == DROPPED) {
      bytes_guest_stream_u8_drop_readable(t->inner);
      t->step = READ;
      status = bytes_guest_stream_stream_u8_read(t->reader, &t->inner, 1);
      continue;
    }
    status = bytes_guest_stream_u8_read(t->inner, t->buf, sizeof t->buf);
  }
  bytes_guest_stream_stream_u8_drop_readable(t->reader);
  bytes_guest_tuple2_u32_u64_t ret = {t->got, t->sum};
  exports_bytes_guest_sum_streams_return(ret);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_sum_streams(bytes_guest_stream_stream_u8_t s) {
  task_t *t = task_new();
  t->reader = s;
  t->step = READ;
  return streams_run(t, bytes_guest_stream_stream_u8_read(s, &t->inner, 1));
}

bytes_guest_callback_code_t exports_bytes_guest_sum_streams_callback(event_t *ev) {
  task_t *t = task_get();
  return streams_run(t, event_status(t, ev, BYTES_GUEST_EVENT_STREAM_READ));
}

// --- drop-tokens: records holding host resources -----------------------------------------------

static uint32_t tokens_run(task_t *t, uint32_t status) {
  for (;;) {
    if (status == BLOCKED) return task_wait(t, t->reader);
    for (uint32_t k = 0; k < COUNT(status); k++) {
      t->value += (uint32_t)t->tags[k].name.len;
      witgen_jsasync_tokens_token_drop_own(t->tags[k].token);
      bytes_guest_tagged_free(&t->tags[k]);
    }
    t->got += COUNT(status);
    if (STATE(status) == DROPPED) break;
    status = bytes_guest_stream_tagged_read(t->reader, t->tags, 4);
  }
  bytes_guest_stream_tagged_drop_readable(t->reader);
  bytes_guest_tuple2_u32_u32_t ret = {t->got, t->value};
  exports_bytes_guest_drop_tokens_return(ret);
  return task_exit(t);
}

bytes_guest_callback_code_t exports_bytes_guest_drop_tokens(bytes_guest_stream_tagged_t s) {
  task_t *t = task_new();
  t->reader = s;
  return tokens_run(t, bytes_guest_stream_tagged_read(s, t->tags, 4));
}

bytes_guest_callback_code_t exports_bytes_guest_drop_tokens_callback(event_t *ev) {
  task_t *t = task_get();
  return tokens_run(t, event_status(t, ev, BYTES_GUEST_EVENT_STREAM_READ));
}
