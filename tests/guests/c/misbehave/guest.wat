;; The `misbehave` world, written by hand (wit-bindgen c's glue would normalise the bad values).
;; Built with `wasm-tools parse` + `wasm-tools component embed` (tests/support/guests.py).
(module
  (import "witgen:misbehave/types" "[constructor]thing" (func $thing_new (result i32)))
  (import "witgen:misbehave/types" "[method]thing.id" (func $thing_id (param i32) (result i32)))
  (import "witgen:misbehave/types" "[resource-drop]thing" (func $thing_drop (param i32)))
  (import "witgen:misbehave/sink" "take-string" (func $take_string (param i32 i32)))
  (import "witgen:misbehave/sink" "take-char" (func $take_char (param i32)))
  (import "witgen:misbehave/sink" "take-list" (func $take_list (param i32 i32)))
  (import "witgen:misbehave/sink" "take-thing" (func $take_thing (param i32) (result i32)))

  (memory (export "memory") 1)
  ;; invalid UTF-8 at 16
  (data (i32.const 16) "\ff\fe")
  (global $heap (mut i32) (i32.const 4096))

  ;; A bump allocator; realloc of an existing block is not needed by this world.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32)
        (param $size i32) (result i32)
    (local $ptr i32) (local $end i32)
    (if (local.get $old) (then unreachable))
    (local.set $ptr
      (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
               (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.lt_s
              (memory.grow (i32.add (i32.div_u (i32.sub (local.get $end)
                                                         (i32.mul (memory.size) (i32.const 65536)))
                                                (i32.const 65536))
                                    (i32.const 1)))
              (i32.const 0))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $ptr))

  (func (export "_initialize"))

  (func (export "ok") (result i32) (i32.const 42))
  (func (export "trap") unreachable)

  ;; string { ptr = 0xfffffff0, len = 100 }
  (func (export "bad-pointer") (result i32)
    (i32.store (i32.const 64) (i32.const 0xfffffff0))
    (i32.store (i32.const 68) (i32.const 100))
    (i32.const 64))
  ;; list<u32> { ptr = 1024, len = 0x10000000 }: 1 GiB past a 64 KiB memory
  (func (export "bad-list-length") (result i32)
    (i32.store (i32.const 72) (i32.const 1024))
    (i32.store (i32.const 76) (i32.const 0x10000000))
    (i32.const 72))
  ;; list<u32> { ptr = 1026, len = 2 }: not 4-byte aligned
  (func (export "bad-list-alignment") (result i32)
    (i32.store (i32.const 80) (i32.const 1026))
    (i32.store (i32.const 84) (i32.const 2))
    (i32.const 80))
  ;; string { ptr = 16, len = 2 } = ff fe
  (func (export "bad-utf8") (result i32)
    (i32.store (i32.const 88) (i32.const 16))
    (i32.store (i32.const 92) (i32.const 2))
    (i32.const 88))
  (func (export "bad-enum") (result i32) (i32.const 7))
  ;; shape: discriminant 9 at offset 0
  (func (export "bad-variant") (result i32)
    (i64.store (i32.const 96) (i64.const 0))
    (i64.store (i32.const 104) (i64.const 0))
    (i32.store8 (i32.const 96) (i32.const 9))
    (i32.const 96))
  ;; option<u32>: discriminant 2
  (func (export "bad-option") (result i32)
    (i32.store (i32.const 112) (i32.const 2))
    (i32.store (i32.const 116) (i32.const 0))
    (i32.const 112))
  ;; result<u32, string>: discriminant 2
  (func (export "bad-result") (result i32)
    (i32.store (i32.const 128) (i32.const 2))
    (i64.store (i32.const 132) (i64.const 0))
    (i32.const 128))
  (func (export "odd-bool") (result i32) (i32.const 2))
  (func (export "bad-flags") (result i32) (i32.const 0x80))
  (func (export "bad-char-surrogate") (result i32) (i32.const 0xd800))
  (func (export "bad-char-range") (result i32) (i32.const 0x110000))
  (func (export "bad-handle") (result i32) (i32.const 12345))

  (func (export "pass-bad-utf8") (call $take_string (i32.const 16) (i32.const 2)))
  (func (export "pass-bad-char") (call $take_char (i32.const 0xd800)))
  (func (export "pass-bad-pointer") (call $take_list (i32.const 0xfffffff0) (i32.const 100)))
  (func (export "pass-bad-handle") (drop (call $take_thing (i32.const 12345))))
  (func (export "drop-bad-handle") (call $thing_drop (i32.const 12345)))
)
