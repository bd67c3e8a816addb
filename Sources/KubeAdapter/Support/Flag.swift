import Synchronization

/// A boolean shared between threads and tasks (stopping, ready), readable from synchronous code
/// such as HTTP handlers.
public final class Flag: Sendable {
    private let value: Mutex<Bool>
    public init(_ value: Bool = false) { self.value = Mutex(value) }
    public var isSet: Bool { value.withLock { $0 } }
    public func set(_ v: Bool = true) { value.withLock { $0 = v } }
}
