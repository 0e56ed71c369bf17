(module
  (import "witgen-test:versioned/math@1.2.3" "double" (func $double (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "twice-plus-one") (param i32) (result i32)
    (i32.add (call $double (local.get 0)) (i32.const 1)))
)
