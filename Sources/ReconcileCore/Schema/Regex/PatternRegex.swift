/// A regular expression with Go RE2 syntax and semantics, as the Kubernetes API server applies a
/// CRD's `pattern`: `matches` is Go's `regexp.MatchString` (unanchored search; `^`/`$` only at
/// the ends of the text unless `(?m)`; `.` does not match `\n`; `\d \s \w \b` and POSIX classes
/// are ASCII-only; the text is matched scalar by scalar, as RE2 matches runes).
///
/// Written for the project instead of using NSRegularExpression (Foundation and ICU, several MiB,
/// and ICU's syntax and semantics differ from RE2's). Matching runs a Pike VM over a Thompson
/// NFA: time linear in the text times the program size, no backtracking, memory bounded by the
/// program size, so no pattern/text combination can blow up.
public struct PatternRegex: Sendable {
    public let source: String
    let program: RegexProgram

    public init(_ source: String) throws(PatternRegexError) {
        self.source = source
        var parser = RegexParser(source)
        let node = try parser.parse()
        program = try RegexProgram.compile(node, sets: parser.sets, source: source)
    }

    /// Whether some substring of `text` matches (Go's `regexp.MatchString`).
    public func matches(_ text: String) -> Bool {
        program.matches(text)
    }
}

/// Why a pattern was rejected, with RE2's wording (`error parsing regexp: missing closing ): ...`).
public struct PatternRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOperator = "invalid or unsupported Perl syntax"
        case invalidRepeatOperator = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingTooDeep = "expression nests too deeply"
        case expressionTooLarge = "expression too large"
    }

    public let code: Code
    /// The part of the pattern at fault.
    public let fragment: String

    public init(_ code: Code, _ fragment: String) {
        self.code = code
        self.fragment = fragment
    }

    public var description: String { "error parsing regexp: \(code.rawValue): `\(fragment)`" }
}

extension RegexProgram {
    /// Runs the Pike VM. All scratch memory (two thread sets and the closure stack, 5 × the
    /// program size) comes from one temporary allocation, on the stack for small programs, and
    /// the instructions are read through a buffer pointer: no allocation, retain or release per
    /// scalar, which made the first version 4× slower than ICU on condition types.
    func matches(_ text: String) -> Bool {
        let n = instructions.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 5 * n) { scratch in
            // Never nil: every program has at least its `.match`.
            guard let base = scratch.baseAddress else { return false }
            scratch.initialize(repeating: 0)
            return instructions.withUnsafeBufferPointer { code in
                asciiTables.withUnsafeBufferPointer { ascii in
                    var vm = PikeVM(code: code, ascii: ascii, sets: sets, scratch: base, isAnchoredAtStart: isAnchoredAtStart)
                    return vm.run(text)
                }
            }
        }
    }
}

/// One search over borrowed memory; lives only for the call, so `PatternRegex` stays an immutable
/// value that any number of threads can use at once.
private struct PikeVM {
    let code: UnsafeBufferPointer<RegexInstruction>
    /// Two words per set: its ASCII membership (see `ScalarSet.asciiTable`).
    let ascii: UnsafeBufferPointer<UInt64>
    let sets: [ScalarSet]
    let isAnchoredAtStart: Bool
    /// Threads at the current position, after following jumps, splits and assertions.
    var current: ThreadSet
    /// Instructions to resume at the next position (not yet closed over).
    var next: ThreadSet
    /// The closure's work list; a pc is pushed only when first added, so `n` slots suffice.
    let stack: UnsafeMutablePointer<Int32>

    init(code: UnsafeBufferPointer<RegexInstruction>, ascii: UnsafeBufferPointer<UInt64>, sets: [ScalarSet],
         scratch base: UnsafeMutablePointer<Int32>, isAnchoredAtStart: Bool) {
        self.code = code
        self.ascii = ascii
        self.sets = sets
        self.isAnchoredAtStart = isAnchoredAtStart
        // `base` holds 5 × n slots.
        let n = code.count
        current = ThreadSet(dense: base, sparse: base + n)
        next = ThreadSet(dense: base + 2 * n, sparse: base + 3 * n)
        stack = base + 4 * n
    }

    mutating func run(_ text: String) -> Bool {
        var iterator = text.unicodeScalars.makeIterator()
        var previous: UInt32?
        var scalar = iterator.next()?.value
        var atStart = true
        while true {
            current.count = 0
            for k in 0..<next.count { addClosure(Int(next.dense[k]), previous: previous, next: scalar) }
            if !isAnchoredAtStart || atStart { addClosure(0, previous: previous, next: scalar) }
            next.count = 0
            for k in 0..<current.count {
                let pc = Int(current.dense[k])
                switch code[pc] {
                case .match:
                    return true
                case .scalar(let c):
                    if scalar == c { next.insert(pc + 1) }
                case .set(let index):
                    if let scalar, setContains(index, scalar) { next.insert(pc + 1) }
                case .anyScalar:
                    if scalar != nil { next.insert(pc + 1) }
                case .anyButNewline:
                    if let scalar, scalar != 0x0A { next.insert(pc + 1) }
                case .split, .jump, .assertion:
                    break
                }
            }
            guard let consumed = scalar else { return false }
            if next.count == 0 && isAnchoredAtStart { return false }
            previous = consumed
            scalar = iterator.next()?.value
            atStart = false
        }
    }

    @inline(__always)
    private func setContains(_ index: Int, _ c: UInt32) -> Bool {
        if c < 128 { return ascii[2 * index + Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return sets[index].contains(c)
    }

    /// Adds `pc` and everything reachable from it without consuming a scalar. An explicit stack:
    /// the depth would otherwise be the program's size.
    private mutating func addClosure(_ pc: Int, previous: UInt32?, next scalar: UInt32?) {
        var depth = 0
        push(pc, &depth)
        while depth > 0 {
            depth -= 1
            let pc = Int(stack[depth])
            switch code[pc] {
            case .jump(let target):
                push(target, &depth)
            case .split(let first, let second):
                push(first, &depth)
                push(second, &depth)
            case .assertion(let assertion):
                if assertion.holds(previous: previous, next: scalar) { push(pc + 1, &depth) }
            default:
                break
            }
        }
    }

    @inline(__always)
    private mutating func push(_ pc: Int, _ depth: inout Int) {
        guard !current.contains(pc) else { return }
        current.insert(pc)
        stack[depth] = Int32(pc)
        depth += 1
    }
}

/// A set of instruction indices with O(1) insert, lookup and clear (Briggs–Torczon sparse set)
/// over borrowed memory.
private struct ThreadSet {
    let dense: UnsafeMutablePointer<Int32>
    let sparse: UnsafeMutablePointer<Int32>
    var count = 0

    init(dense: UnsafeMutablePointer<Int32>, sparse: UnsafeMutablePointer<Int32>) {
        self.dense = dense
        self.sparse = sparse
    }

    @inline(__always)
    func contains(_ pc: Int) -> Bool {
        let slot = Int(sparse[pc])
        return slot < count && Int(dense[slot]) == pc
    }

    @inline(__always)
    mutating func insert(_ pc: Int) {
        sparse[pc] = Int32(count)
        dense[count] = Int32(pc)
        count += 1
    }
}
