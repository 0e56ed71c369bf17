(module
  (global $n (mut i32) (i32.const 0))
  (global $posts (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "init-count") (result i32) (global.get $n))
  (func (export "cabi_post_init-count") (param i32)
    (global.set $posts (i32.add (global.get $posts) (i32.const 1))))
  (func (export "post-count") (result i32) (global.get $posts))
)
