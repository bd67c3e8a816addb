#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or a descriptor in fixed-size blocks, so an input is never held whole: the
/// loader splits it into documents as the blocks arrive. Plain POSIX calls, no Foundation.
enum BlockReader {
    /// 64 KiB: few system calls (85 for a 5.3 MB file), and the block plus the splitter's
    /// buffer stay far below the snapshot (with 1 MiB they were 3 MB of a 29 MB load).
    static let blockSize = 1 << 16

    /// Why a path cannot be read, as the input errors say it.
    enum Failure: Error, Sendable {
        case notFound, unreadable
        var message: String { self == .notFound ? "no such file or directory" : "cannot read file" }
    }

    /// Calls `body` with each block of the file at `path`, in order.
    static func read(path: String, blockSize: Int = blockSize, _ body: (ArraySlice<UInt8>) -> Void) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT || errno == ENOTDIR ? .notFound : .unreadable }
        defer { close(fd) }
        try read(descriptor: fd, blockSize: blockSize, body)
    }

    /// Calls `body` with each block read from `fd` up to its end (standard input: descriptor 0).
    static func read(descriptor fd: Int32, blockSize: Int = blockSize, _ body: (ArraySlice<UInt8>) -> Void) throws(Failure) {
        var block = [UInt8](repeating: 0, count: max(1, blockSize))
        var filled = 0
        while true {
            let n = block.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable
            }
            if n == 0 { break }
            filled += n
            // Hand over full blocks only (pipes deliver a few KiB at a time).
            if filled == block.count {
                body(block[...])
                filled = 0
            }
        }
        if filled > 0 { body(block[..<filled]) }
    }
}

/// The C library's `read`, named apart from `BlockReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #elseif canImport(Musl)
    Musl.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}
