;; A guest of world `greeter` (wit/greeter.wit), as a core module with the canonical ABI:
;; greet(name) logs "greeting <name>" at level info through the host and returns the name's
;; length in bytes. Made into a component by
;;   wasm-tools parse guest/greeter.wat -o greeter.core.wasm
;;   wasm-tools component embed wit greeter.core.wasm -o greeter.embed.wasm
;;   wasm-tools component new greeter.embed.wasm -o greeter.wasm
;; (the tests do this; no binary is committed).
(module
  (import "witgen-test:greeter/host-log" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 16) "greeting ")

  ;; A bump allocator that never frees (the component model's realloc contract suffices).
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $new_size)))
    (block $enough
      (br_if $enough (i32.le_u (global.get $heap) (i32.shl (memory.size) (i32.const 16))))
      (drop (memory.grow
        (i32.add
          (i32.shr_u (i32.sub (global.get $heap) (i32.shl (memory.size) (i32.const 16))) (i32.const 16))
          (i32.const 1)))))
    (if (local.get $old_size)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))

  (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
    (local $msg i32)
    (local.set $msg (call $realloc (i32.const 0) (i32.const 0) (i32.const 1)
                                   (i32.add (local.get $len) (i32.const 9))))
    (memory.copy (local.get $msg) (i32.const 16) (i32.const 9))
    (memory.copy (i32.add (local.get $msg) (i32.const 9)) (local.get $ptr) (local.get $len))
    ;; level 0 = info
    (call $log (i32.const 0) (local.get $msg) (i32.add (local.get $len) (i32.const 9)))
    (local.get $len))
  (func (export "cabi_post_greet") (param i32))

  (func (export "_initialize"))
)
