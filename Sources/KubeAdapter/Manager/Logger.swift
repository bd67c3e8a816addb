import ReconcileCore

/// Structured logs on standard error, as text (`key=value`) or one JSON object per line.
/// Callers pass object keys and plan reasons as fields; secrets never reach a log line because
/// plans refer to Secrets by name and key only.
public struct Logger: Sendable {
    public enum Format: String, Sendable { case text, json }
    public var format: Format
    public var write: @Sendable (String) -> Void

    public init(format: Format = .text, write: @escaping @Sendable (String) -> Void = { FileIO.write($0 + "\n", to: FileIO.standardError) }) {
        self.format = format
        self.write = write
    }

    public func info(_ message: String, _ fields: [(String, String)] = []) { emit("info", message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { emit("error", message, fields) }

    func emit(_ level: String, _ message: String, _ fields: [(String, String)]) {
        let ts = WallTime.now().secondsSinceEpoch
        switch format {
        case .json:
            var line = OrderedMap()
            line["ts"] = .double((ts * 1000).rounded() / 1000)
            line["level"] = .string(level)
            line["msg"] = .string(message)
            for (k, v) in fields { line[k] = .string(v) }
            write(JSONWriter.write(.object(line), pretty: false))
        case .text:
            var line = "\(level.uppercased()) \(message)"
            for (k, v) in fields {
                line += " \(k)=" + (v.contains(" ") || v.contains("\n") || v.isEmpty ? JSONWriter.write(.string(v), pretty: false) : v)
            }
            write(line)
        }
    }
}
