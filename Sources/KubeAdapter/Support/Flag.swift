import Foundation

/// A boolean shared between threads and tasks (stopping, ready), readable from synchronous code
/// such as HTTP handlers.
public final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool
    public init(_ value: Bool = false) { self.value = value }
    public var isSet: Bool { lock.withLock { value } }
    public func set(_ v: Bool = true) { lock.withLock { value = v } }
}
