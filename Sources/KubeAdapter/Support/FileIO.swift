#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Musl)
import Musl
private let systemRead = Musl.read
private let systemWrite = Musl.write
#endif

/// File and standard-stream I/O over the C library: the product modules stay Foundation-free,
/// which keeps the CLI's binary and start-up memory small. The core never does I/O; this is the
/// one place the adapter and the CLI read files and write their output.
public enum FileIO {
    public static let standardInput: Int32 = 0
    public static let standardOutput: Int32 = 1
    public static let standardError: Int32 = 2

    public enum Kind: Sendable { case file, directory, other }

    /// What `path` names (symbolic links followed), nil when nothing can be reached there.
    public static func kind(of path: String) -> Kind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    public static func exists(_ path: String) -> Bool { kind(of: path) != nil }

    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// The whole file, nil when it cannot be opened or read (a directory, no permission).
    public static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        return readAll(fd, sizeHint: size)
    }

    /// Everything up to end of file from an open descriptor (standard input), nil on a read error.
    public static func readAll(_ fd: Int32, sizeHint: Int = 0) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(max(0, sizeHint))
        return readBlocks(fd) { out += $0 } ? out : nil
    }

    /// 64 KiB: few system calls (85 for a 5 MB file) and little memory beside what the reader
    /// builds from the blocks.
    public static let blockSize = 64 * 1024

    /// Calls `body` with each block of the file in order, so a large input is never held whole
    /// (operatorctl loads document by document as blocks arrive). False when the file cannot be
    /// opened or read.
    public static func readBlocks(_ path: String, blockSize: Int = blockSize, _ body: (ArraySlice<UInt8>) -> Void) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return readBlocks(fd, blockSize: blockSize, body)
    }

    /// `readBlocks` from an open descriptor, up to end of file. Every block but the last is full
    /// (pipes deliver a few KiB at a time).
    public static func readBlocks(_ fd: Int32, blockSize: Int = blockSize, _ body: (ArraySlice<UInt8>) -> Void) -> Bool {
        var block = [UInt8](repeating: 0, count: max(1, blockSize))
        var filled = 0
        while true {
            let n = block.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress?.advanced(by: filled), $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            if n == 0 { break }
            filled += n
            if filled == block.count {
                body(block[...])
                filled = 0
            }
        }
        if filled > 0 { body(block[..<filled]) }
        return true
    }

    /// The names in a directory (without `.` and `..`), unsorted; nil when it cannot be listed.
    public static func directoryEntries(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes all of `bytes` (retrying short writes); false when the descriptor refuses them.
    @discardableResult
    public static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress?.advanced(by: done), bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    @discardableResult
    public static func write(_ text: String, to fd: Int32) -> Bool { write(Array(text.utf8), to: fd) }
}
