;; blocking.wit, world blocking-callback: a callback-ABI task calling an async import sync-lowered.
(module
  (import "$root" "slow" (func $slow (param i32) (result i32)))
  (import "[export]$root" "[task-return]double-blocking" (func $ret_double (param i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) unreachable)
  (func (export "[async-lift]double-blocking") (param $x i32) (result i32)
    (call $ret_double (i32.mul (call $slow (local.get $x)) (i32.const 2)))
    (i32.const 0))
  (func (export "[callback][async-lift]double-blocking") (param i32 i32 i32) (result i32) unreachable)
  (func (export "double-sync") (param $x i32) (result i32)
    (i32.mul (call $slow (local.get $x)) (i32.const 2))))
