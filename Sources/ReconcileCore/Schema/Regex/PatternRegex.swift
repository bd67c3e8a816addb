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
        var vm = PikeVM(program: program)
        return vm.run(text)
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

/// One search: the thread lists live only as long as the call, so `PatternRegex` stays an
/// immutable value that any number of threads can use at once.
private struct PikeVM {
    let instructions: [RegexInstruction]
    let sets: [ScalarSet]
    let isAnchoredAtStart: Bool
    /// Threads at the current position, after following jumps, splits and assertions.
    var current: ThreadSet
    /// Instructions to resume at the next position (not yet closed over).
    var next: ThreadSet
    var stack: [Int32] = []

    init(program: RegexProgram) {
        instructions = program.instructions
        sets = program.sets
        isAnchoredAtStart = program.isAnchoredAtStart
        current = ThreadSet(capacity: program.instructions.count)
        next = ThreadSet(capacity: program.instructions.count)
    }

    mutating func run(_ text: String) -> Bool {
        var iterator = text.unicodeScalars.makeIterator()
        var previous: UInt32?
        var scalar = iterator.next()?.value
        var atStart = true
        while true {
            current.removeAll()
            for k in 0..<next.count { addClosure(Int(next.dense[k]), previous: previous, next: scalar) }
            if !isAnchoredAtStart || atStart { addClosure(0, previous: previous, next: scalar) }
            next.removeAll()
            for k in 0..<current.count {
                let pc = Int(current.dense[k])
                switch instructions[pc] {
                case .match:
                    return true
                case .scalar(let c):
                    if scalar == c { next.insert(pc + 1) }
                case .set(let index):
                    if let scalar, sets[index].contains(scalar) { next.insert(pc + 1) }
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

    /// Adds `pc` and everything reachable from it without consuming a scalar. An explicit stack:
    /// the depth would otherwise be the program's size.
    private mutating func addClosure(_ pc: Int, previous: UInt32?, next scalar: UInt32?) {
        stack.append(Int32(pc))
        while let top = stack.popLast() {
            let pc = Int(top)
            if current.contains(pc) { continue }
            current.insert(pc)
            switch instructions[pc] {
            case .jump(let target):
                stack.append(Int32(target))
            case .split(let first, let second):
                stack.append(Int32(second))
                stack.append(Int32(first))
            case .assertion(let assertion):
                if assertion.holds(previous: previous, next: scalar) { stack.append(Int32(pc + 1)) }
            default:
                break
            }
        }
    }
}

/// A set of instruction indices with O(1) insert, lookup and clear (Briggs–Torczon sparse set).
private struct ThreadSet {
    var dense: [Int32]
    var sparse: [Int32]
    var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    func contains(_ pc: Int) -> Bool {
        let slot = Int(sparse[pc])
        return slot < count && Int(dense[slot]) == pc
    }

    mutating func insert(_ pc: Int) {
        sparse[pc] = Int32(count)
        dense[count] = Int32(pc)
        count += 1
    }

    mutating func removeAll() { count = 0 }
}
