/// What the YAML and JSON readers do with the elements of a document's top-level `items`
/// sequence while they parse it, for the loader: note where each element starts, and take each
/// out of the tree, packed.
///
/// Taking: a `kind: List` of thousands of objects (what `kubectl get -o yaml|json` prints) then
/// never exists as one tree: trees cost about five bytes per byte of text, packed objects about
/// half a byte. The reader leaves `.null` in each taken element's place and hands the packed
/// elements over in `ParsedDocument.detachedItems`, at the same indices. Whether a document is a
/// List is only known at its end (kubectl prints `items` before `kind`), so the items of any root
/// map are taken; `ParsedDocument.reattached` puts them back for a document that turns out not to
/// be a List. Only a plain block or JSON sequence is taken from (an anchored or tagged one, which
/// an alias or a tag check could see, stays whole), and only elements the loader can load
/// (`SnapshotLoader.unusable`): the others stay in the tree, so their errors are reported from it
/// as before.
///
/// Noting positions: each item's own line and column (`ParsedDocument.itemPositions`), so an
/// object read from a List points at itself, not at the List, in duplicate and converge messages,
/// without recording every field's position.
///
/// Kept small on purpose (one array, one arena, no closure): the YAML parser holds one, and a
/// debug build copies the parser into every recursive frame (see `YAMLParser.maxDepth`).
public struct ListItemDetacher: Sendable {
    /// Each element's position and, when taken, its packed tree.
    private var items: [(packed: PackedObject?, position: SourcePosition)] = []
    /// Where taken elements are packed: together, sharing repeated strings, like a snapshot's
    /// objects (a chunk is freed once the loader has released all of its elements).
    private var arena = PackedArena()
    /// Nesting depth of the sequence being read (the root map's `items` value being parsed), 0
    /// when there is none. Parsers stop far below `UInt16.max` levels.
    private var itemsDepth: UInt16 = 0
    /// Take loadable elements out of the tree.
    public let takesItems: Bool
    /// Note where each element starts (false: the detacher does nothing at all).
    public let notesPositions: Bool

    /// Does nothing: every document stays whole, as the plain readers give it.
    public static let off = ListItemDetacher(takesItems: false, notesPositions: false)

    public init(takesItems: Bool, notesPositions: Bool = true) {
        self.takesItems = takesItems
        self.notesPositions = notesPositions || takesItems
    }

    /// Whether the reader needs to call the hooks below at all.
    var isActive: Bool { notesPositions }

    /// Before the value of a root map's key is parsed (given the root map's own nesting depth).
    mutating func willParseRootValue(key: String, depth: Int) {
        itemsDepth = isActive && key == "items" ? UInt16(clamping: depth + 1) : 0
    }

    /// After that value, or when it has a tag or an anchor: nothing deeper or later is read.
    mutating func didParseRootValue() {
        itemsDepth = 0
    }

    /// Whether a sequence starting at this depth is the root map's `items` (asked once, as the
    /// sequence starts).
    mutating func isItems(atDepth depth: Int) -> Bool {
        guard itemsDepth != 0, Int(itemsDepth) == depth else { return false }
        itemsDepth = 0
        return true
    }

    /// An element of that sequence starts here.
    mutating func itemStarts(at position: SourcePosition) {
        items.append((nil, position))
    }

    /// The element just parsed: what stays in the tree in its place.
    mutating func itemParsed(_ element: Value) -> Value {
        guard takesItems, !items.isEmpty, case .object(let map) = element, SnapshotLoader.unusable(element) == nil,
              let packed = arena.pack(KubeObject(root: map)) else { return element }
        items[items.count - 1].packed = packed
        return .null
    }

    /// What was noted and taken in the document just parsed (both empty when nothing was), and a
    /// fresh start.
    mutating func finishDocument() -> (taken: [PackedObject?], positions: [SourcePosition]) {
        itemsDepth = 0
        defer { items = [] }
        let taken = items.contains { $0.packed != nil } ? items.map(\.packed) : []
        return (taken, items.map(\.position))
    }
}
