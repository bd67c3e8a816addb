import Foundation

/// Structured logs on standard error, as text (`key=value`) or one JSON object per line.
/// Callers pass object keys and plan reasons as fields; secrets never reach a log line because
/// plans refer to Secrets by name and key only.
public struct Logger: Sendable {
    public enum Format: String, Sendable { case text, json }
    public var format: Format
    public var write: @Sendable (String) -> Void

    public init(format: Format = .text, write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.format = format
        self.write = write
    }

    public func info(_ message: String, _ fields: [(String, String)] = []) { emit("info", message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { emit("error", message, fields) }

    func emit(_ level: String, _ message: String, _ fields: [(String, String)]) {
        let ts = Date().timeIntervalSince1970
        switch format {
        case .json:
            var parts = ["\"ts\":\(String(format: "%.3f", ts))", "\"level\":\(quote(level))", "\"msg\":\(quote(message))"]
            for (k, v) in fields { parts.append("\(quote(k)):\(quote(v))") }
            write("{" + parts.joined(separator: ",") + "}")
        case .text:
            var line = "\(level.uppercased()) \(message)"
            for (k, v) in fields { line += " \(k)=\(v.contains(" ") || v.isEmpty ? quote(v) : v)" }
            write(line)
        }
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
