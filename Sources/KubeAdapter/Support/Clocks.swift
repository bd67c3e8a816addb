#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ReconcileCore

/// A wall-clock instant to the nanosecond. The core's `Timestamp` holds whole seconds, which is
/// all a reconcile reads; the adapter also writes `MicroTime` (events, leases) and names events
/// by the nanosecond, so it needs the finer clock.
public struct WallTime: Sendable, Hashable, Comparable {
    /// Whole seconds since the Unix epoch.
    public var seconds: Int64
    /// Always in `0..<1_000_000_000`.
    public var nanoseconds: Int64

    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanoseconds = nanoseconds - carry * 1_000_000_000
    }

    /// The system's real-time clock.
    public static func now() -> WallTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return WallTime(seconds: Int64(ts.tv_sec), nanoseconds: Int64(ts.tv_nsec))
    }

    public static func < (a: WallTime, b: WallTime) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }

    /// Whole seconds, rounded down: what the core's decisions read as "now".
    public var timestamp: Timestamp { Timestamp(secondsSinceEpoch: seconds) }

    public var secondsSinceEpoch: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    /// `self` plus `seconds` (non-finite amounts are treated as zero).
    public func adding(seconds delta: Double) -> WallTime {
        guard delta.isFinite, abs(delta) < 1e15 else { return self }
        let whole = delta.rounded(.down)
        return WallTime(seconds: seconds + Int64(whole), nanoseconds: nanoseconds + Int64(((delta - whole) * 1e9).rounded()))
    }

    /// Seconds from `earlier` to `self` (negative when `earlier` is later).
    public func seconds(since earlier: WallTime) -> Double {
        Double(seconds - earlier.seconds) + Double(nanoseconds - earlier.nanoseconds) / 1e9
    }

    /// RFC 3339 with microseconds, the `MicroTime` format of `eventTime` and lease times.
    public var microTime: String {
        let frac = String(nanoseconds / 1000)
        return timestamp.rfc3339.dropLast() + "." + String(repeating: "0", count: max(0, 6 - frac.count)) + frac + "Z"
    }
}

/// A point on the monotonic clock by which something must happen (watch timeouts, waits for
/// events): unaffected by wall-clock jumps.
struct Deadline: Sendable, Comparable {
    var instant: ContinuousClock.Instant

    /// `seconds` from now; NaN and negative amounts mean now, huge ones are capped at ~30 years
    /// (the amounts can come from request parameters, and `Duration` traps on non-finite values).
    init(secondsFromNow seconds: Double) {
        let clamped = seconds.isNaN ? 0 : min(max(seconds, 0), 1e9)
        instant = ContinuousClock.now.advanced(by: .nanoseconds(Int64(clamped * 1e9)))
    }

    static func < (a: Deadline, b: Deadline) -> Bool { a.instant < b.instant }

    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// Time left, zero once passed.
    var remaining: Duration { max(.zero, instant - ContinuousClock.now) }
}
