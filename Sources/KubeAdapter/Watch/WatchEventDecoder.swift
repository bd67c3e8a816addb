import ReconcileCore

/// One event of a watch stream.
public enum WatchEvent: Sendable, Equatable {
    case added(KubeObject)
    case modified(KubeObject)
    case deleted(KubeObject)
    /// The server's progress mark: resume from here after a reconnect.
    case bookmark(resourceVersion: String)
    /// An `ERROR` event carrying a `Status` (410 Expired means "relist").
    case error(code: Int, reason: String, message: String)
    /// A line that is not a watch event; the watch is restarted.
    case invalid(String)
}

/// Turns the bytes of a watch response (newline-delimited JSON, arriving in arbitrary chunks)
/// into events. Pure and incremental: a line split across chunks is held until it is complete.
public struct WatchEventDecoder: Sendable {
    private var pending: [UInt8] = []
    /// A line longer than this is a broken stream, not an object (etcd's limit is 1.5 MiB).
    public static let maxLineBytes = 16 * 1024 * 1024

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [WatchEvent] {
        pending.append(contentsOf: bytes)
        var events: [WatchEvent] = []
        var start = 0
        while let nl = pending[start...].firstIndex(of: 0x0A) {
            let line = Array(pending[start..<nl])
            start = nl + 1
            if let e = Self.decode(line) { events.append(e) }
        }
        pending.removeFirst(start)
        if pending.count > Self.maxLineBytes {
            pending = []
            events.append(.invalid("watch event longer than \(Self.maxLineBytes) bytes"))
        }
        return events
    }

    /// The stream ended: a last line without a newline still counts.
    public mutating func finish() -> [WatchEvent] {
        defer { pending = [] }
        return Self.decode(pending).map { [$0] } ?? []
    }

    static func decode(_ line: [UInt8]) -> WatchEvent? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
        let v: Value
        do { v = try JSONReader.parse(bytes: line) } catch { return .invalid("malformed watch event: \(error)") }
        guard let type = v["type"]?.stringValue, let object = v["object"] else { return .invalid("watch event without type or object") }
        switch type {
        case "ADDED", "MODIFIED", "DELETED":
            guard let o = KubeObject(object), !o.name.isEmpty else { return .invalid("\(type) event without an object") }
            return type == "ADDED" ? .added(o) : type == "MODIFIED" ? .modified(o) : .deleted(o)
        case "BOOKMARK":
            return .bookmark(resourceVersion: object[path: "metadata.resourceVersion"]?.stringValue ?? "")
        case "ERROR":
            return .error(code: Int(object["code"]?.intValue ?? 500), reason: object["reason"]?.stringValue ?? "",
                          message: object["message"]?.stringValue ?? "")
        default:
            return .invalid("unknown watch event type \(type)")
        }
    }
}
