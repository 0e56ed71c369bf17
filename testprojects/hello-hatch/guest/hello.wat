;; The guest bundled into the JS package: a core module implementing world `hello`
;; (wit/hello.wit) with the canonical ABI. Built by `wasm-tools parse guest/hello.wat -o
;; guest/hello.wasm` (the tests do this; the .wasm is not committed).
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 16) "Hello, ")

  ;; A bump allocator: aligns, grows memory when needed, never frees.
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $p i32)
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $new_size)))
    (block $enough
      (br_if $enough
        (i32.le_u (global.get $heap) (i32.shl (memory.size) (i32.const 16))))
      (drop
        (memory.grow
          (i32.add
            (i32.shr_u
              (i32.sub (global.get $heap) (i32.shl (memory.size) (i32.const 16)))
              (i32.const 16))
            (i32.const 1)))))
    (if (local.get $old_size)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))

  ;; greet(name) = "Hello, " + name + "!", returned through an 8-byte (ptr, len) area.
  (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
    (local $out i32) (local $n i32) (local $ret i32)
    (local.set $n (i32.add (local.get $len) (i32.const 8)))
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $n)))
    (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
    (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
    (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7))) (i32.const 33))
    (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
    (i32.store (local.get $ret) (local.get $out))
    (i32.store offset=4 (local.get $ret) (local.get $n))
    (local.get $ret))
  (func (export "cabi_post_greet") (param i32))

  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func (export "cabi_post_add") (param i32))

  (func (export "_initialize"))
)
