/// A 1-based line and column in an input file.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: SourcePosition, b: SourcePosition) -> Bool { (a.line, a.column) < (b.line, b.column) }
    public var description: String { "\(line):\(column)" }
}

/// A syntax error in YAML or JSON text, with where it happened.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition
    public init(_ message: String, at position: SourcePosition) {
        self.message = message
        self.position = position
    }
    public var description: String { "\(position.line):\(position.column): \(message)" }
}

/// One parsed document of a stream: its tree, where it starts, and (when asked for) where each
/// field sits, keyed by field path (`spec.containers[0].image`), for `validate` messages.
public struct ParsedDocument: Sendable {
    public var value: Value
    public var position: SourcePosition
    public var fieldPositions: [String: SourcePosition]
    /// The elements of the root map's `items` sequence that the reader took out packed
    /// (`ListItemDetacher`), at their indices, `.null` standing in the tree in their place; nil
    /// where an element stayed in the tree. Empty when nothing was taken.
    public var detachedItems: [PackedObject?]
    /// Where each element of the root map's `items` sequence starts, when the reader noted it
    /// (`ListItemDetacher`); empty otherwise.
    public var itemPositions: [SourcePosition]

    public init(value: Value, position: SourcePosition, fieldPositions: [String: SourcePosition] = [:], detachedItems: [PackedObject?] = [], itemPositions: [SourcePosition] = []) {
        self.value = value
        self.position = position
        self.fieldPositions = fieldPositions
        self.detachedItems = detachedItems
        self.itemPositions = itemPositions
    }

    /// The tree with the taken items back in it: the document as a reader without a detacher
    /// gives it.
    public var reattached: Value {
        guard !detachedItems.isEmpty, case .object(var root) = value, case .array(var items)? = root["items"] else { return value }
        for (i, packed) in detachedItems.enumerated() where i < items.count {
            if let packed { items[i] = .object(packed.object.root) }
        }
        root["items"] = .array(items)
        return .object(root)
    }
}
