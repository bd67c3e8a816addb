/// Incremental HTTP/1.1 request parsing over a byte buffer: pure, so it is tested without sockets.
///
/// Supports `Content-Length` and `Transfer-Encoding: chunked` bodies; limits keep a bad client
/// from exhausting memory.
public enum HTTPRequestParser {
    public static let maxHeaderBytes = 64 * 1024
    public static let maxBodyBytes = 32 * 1024 * 1024

    public enum Outcome: Sendable {
        /// More bytes are needed.
        case incomplete
        /// A request and how many bytes of the buffer it used.
        case request(HTTPRequest, consumed: Int)
        /// The bytes are not a request we accept; answer with this status and close.
        case invalid(status: Int, message: String)
    }

    public static func parse(_ buffer: [UInt8]) -> Outcome {
        guard let headerEnd = find([13, 10, 13, 10], in: buffer, from: 0) else {
            return buffer.count > maxHeaderBytes ? .invalid(status: 431, message: "request header too large") : .incomplete
        }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return .invalid(status: 400, message: "empty request") }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .invalid(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .invalid(status: 400, message: "malformed header line") }
            headers.append((String(line[..<colon]).lowercased(), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        var request = HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
        let bodyStart = headerEnd + 4
        if let te = request.header("transfer-encoding"), te.lowercased().contains("chunked") {
            switch decodeChunked(buffer, from: bodyStart) {
            case .incomplete: return .incomplete
            case .invalid(let s, let m): return .invalid(status: s, message: m)
            case .done(let body, let end):
                request.body = body
                return .request(request, consumed: end)
            }
        }
        let length: Int
        if let cl = request.header("content-length") {
            guard let n = Int(cl), n >= 0 else { return .invalid(status: 400, message: "bad Content-Length") }
            length = n
        } else {
            length = 0
        }
        guard length <= maxBodyBytes else { return .invalid(status: 413, message: "request body too large") }
        guard buffer.count >= bodyStart + length else { return .incomplete }
        request.body = Array(buffer[bodyStart..<(bodyStart + length)])
        return .request(request, consumed: bodyStart + length)
    }

    private enum Chunked { case incomplete, invalid(Int, String), done([UInt8], Int) }

    private static func decodeChunked(_ buffer: [UInt8], from start: Int) -> Chunked {
        var i = start
        var body: [UInt8] = []
        while true {
            guard let lineEnd = find([13, 10], in: buffer, from: i) else { return .incomplete }
            let sizeText = String(decoding: buffer[i..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else { return .invalid(400, "bad chunk size") }
            guard body.count + size <= maxBodyBytes else { return .invalid(413, "request body too large") }
            let dataStart = lineEnd + 2
            if size == 0 {
                // Trailers (rare) end with an empty line.
                guard let end = find([13, 10], in: buffer, from: dataStart) else { return .incomplete }
                if end == dataStart { return .done(body, end + 2) }
                guard let trailerEnd = find([13, 10, 13, 10], in: buffer, from: dataStart) else { return .incomplete }
                return .done(body, trailerEnd + 4)
            }
            guard buffer.count >= dataStart + size + 2 else { return .incomplete }
            body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            i = dataStart + size + 2
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count > 0, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] {
                var ok = true
                for j in 1..<needle.count where hay[i + j] != needle[j] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }
}
