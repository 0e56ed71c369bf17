// A minimal executor (std only) for the async hosts, `include!`d by async.rs and async_trap.rs:
// `block_on` parks the thread until the future's waker unparks it; `YieldNow` lets the
// scheduler run once. Paths are spelled out so the includer's `use` lines do not matter.

struct ThreadWaker(std::thread::Thread);

impl std::task::Wake for ThreadWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let waker = std::task::Waker::from(std::sync::Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    loop {
        if let std::task::Poll::Ready(v) = std::future::Future::poll(f.as_mut(), &mut cx) {
            return v;
        }
        std::thread::park();
    }
}

/// Lets the scheduler run once (returns `Pending` once, waking itself).
struct YieldNow(bool);

impl std::future::Future for YieldNow {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
