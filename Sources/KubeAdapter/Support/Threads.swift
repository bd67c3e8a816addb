#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Blocking work (socket servers, curl transfers, the sandbox's world-rules loop) runs on threads
/// of its own: it must not occupy Swift concurrency's cooperative pool or libdispatch's workers.
enum Threads {
    /// Starts `body` on a new detached thread called `name` (what `top -H`, `ps -L` and debuggers
    /// show; the kernel keeps the first 15 bytes). False when the system refuses another thread;
    /// `body` is then not run.
    @discardableResult
    static func detach(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let start = Unmanaged.passRetained(ThreadStart(name: name, body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let rc = pthread_create(&thread, &attr, { raw in
            guard let raw else { return nil }
            let start = Unmanaged<ThreadStart>.fromOpaque(raw).takeRetainedValue()
            setCurrentThreadName(start.name)
            start.body()
            return nil
        }, start)
        if rc != 0 {
            Unmanaged<ThreadStart>.fromOpaque(start).release()
            return false
        }
        return true
    }
}

private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// Names the calling thread through `/proc/thread-self/comm` (Linux; the C library's
/// `pthread_setname_np` is not visible to Swift without `_GNU_SOURCE`). The kernel keeps the first
/// 15 bytes and refuses longer writes, so the name is cut first. Best effort: a thread without a
/// name works the same.
func setCurrentThreadName(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

/// A mutex with a condition variable (pthreads): for threads that sleep until another thread
/// broadcasts a change or a deadline passes (the sandbox store's watchers, the world-rules loop).
/// Waits use the monotonic clock, so wall-clock jumps neither cut them short nor stretch them.
final class ConditionVariable: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move, and Swift may move stored properties.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        cond.initialize(to: pthread_cond_t())
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// With the lock held: sleeps until a `broadcast` (or a spurious wake-up) or the deadline.
    /// False when the deadline has passed.
    func wait(until deadline: Deadline) -> Bool {
        let left = deadline.remaining
        guard left > .zero else { return false }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (s, atto) = left.components
        var sec = Int64(now.tv_sec) + s
        var nsec = Int64(now.tv_nsec) + atto / 1_000_000_000
        if nsec >= 1_000_000_000 {
            sec += 1
            nsec -= 1_000_000_000
        }
        var until = timespec(tv_sec: .init(sec), tv_nsec: .init(nsec))
        return pthread_cond_timedwait(cond, mutex, &until) != ETIMEDOUT
    }

    /// Wakes every waiter (call with the lock held).
    func broadcast() { pthread_cond_broadcast(cond) }
}
