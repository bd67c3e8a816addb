/// Per-key exponential backoff: `base * 2^failures`, capped. client-go's
/// `ItemExponentialFailureRateLimiter` with the controller defaults (5 ms doubling to 1000 s).
public struct ItemExponentialBackoff: Sendable {
    public var baseSeconds: Double
    public var maxSeconds: Double
    private var failures: [ReconcileRequestKey: Int] = [:]

    public init(baseSeconds: Double = 0.005, maxSeconds: Double = 1000) {
        self.baseSeconds = baseSeconds
        self.maxSeconds = maxSeconds
    }

    /// The delay before the next retry of `key`, counting this failure.
    public mutating func when(_ key: ReconcileRequestKey) -> Double {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        // 2^n overflows Double long after the cap is reached; stop doubling at the cap.
        let delay = baseSeconds * pow2(min(n, 62))
        return min(delay, maxSeconds)
    }

    public func retries(_ key: ReconcileRequestKey) -> Int { failures[key, default: 0] }
    public mutating func forget(_ key: ReconcileRequestKey) { failures[key] = nil }

    private func pow2(_ n: Int) -> Double {
        var v = 1.0
        for _ in 0..<n { v *= 2 }
        return v
    }
}

/// The overall token bucket (client-go's `BucketRateLimiter`, 10 per second, burst 100): tokens
/// refill continuously; taking one when none is left reserves it in the future and returns how
/// long to wait, so a burst of failures spreads out instead of hammering the API server.
public struct TokenBucket: Sendable {
    public var ratePerSecond: Double
    public var burst: Double
    private var tokens: Double
    private var last: Double?

    public init(ratePerSecond: Double = 10, burst: Int = 100) {
        self.ratePerSecond = ratePerSecond
        self.burst = Double(burst)
        self.tokens = Double(burst)
    }

    /// Takes one token at time `now` (seconds on any monotonic clock); returns the wait, 0 if available.
    public mutating func reserve(now: Double) -> Double {
        if let last, now > last {
            tokens = min(burst, tokens + (now - last) * ratePerSecond)
        }
        last = max(last ?? now, now)
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / ratePerSecond
    }
}

/// The controller rate limiter: the larger of the per-key backoff and the overall bucket
/// (client-go's `DefaultControllerRateLimiter`).
public struct ControllerRateLimiter: Sendable {
    public var backoff: ItemExponentialBackoff
    public var bucket: TokenBucket

    public init(backoff: ItemExponentialBackoff = ItemExponentialBackoff(), bucket: TokenBucket = TokenBucket()) {
        self.backoff = backoff
        self.bucket = bucket
    }

    public mutating func when(_ key: ReconcileRequestKey, now: Double) -> Double {
        max(backoff.when(key), bucket.reserve(now: now))
    }
    public mutating func forget(_ key: ReconcileRequestKey) { backoff.forget(key) }
    public func retries(_ key: ReconcileRequestKey) -> Int { backoff.retries(key) }
}
