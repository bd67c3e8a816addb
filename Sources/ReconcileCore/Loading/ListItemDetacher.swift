/// Takes the elements of a document's top-level `items` sequence out of the tree while the
/// document is parsed, packed, so a `kind: List` of thousands of objects (what `kubectl get -o
/// yaml|json` prints) never exists as one tree: trees cost about five bytes per byte of text,
/// packed objects about half a byte. The reader leaves `.null` in each taken element's place and
/// hands the packed elements over in `ParsedDocument.detachedItems`, at the same indices.
///
/// Whether a document is a List is only known at its end (kubectl prints `items` before `kind`),
/// so the items of any root map are taken; `ParsedDocument.reattached` puts them back for a
/// document that turns out not to be a List. Only a plain block or JSON sequence is taken from
/// (an anchored or tagged one, which an alias or a tag check could see, stays whole), and only
/// elements the loader can load (`SnapshotLoader.unusable`): the others stay in the tree, so
/// their errors are reported from it as before.
///
/// Kept small on purpose (no closure, no optional): the YAML parser holds one, and a debug build
/// copies the parser into every recursive frame (see `YAMLParser.maxDepth`).
public struct ListItemDetacher: Sendable {
    private var taken: [PackedObject?] = []
    /// Nesting depth of the sequence whose elements are taken (the root map's `items` value being
    /// parsed), 0 when there is none. Parsers stop far below `UInt16.max` levels.
    private var takingDepth: UInt16 = 0
    /// False: nothing is taken (every document stays whole).
    public let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Before the value of a root map's key is parsed (given the root map's own nesting depth).
    mutating func willParseRootValue(key: String, depth: Int) {
        takingDepth = enabled && key == "items" ? UInt16(clamping: depth + 1) : 0
    }

    /// After that value, or when it has a tag or an anchor: nothing deeper or later is taken from.
    mutating func didParseRootValue() {
        takingDepth = 0
    }

    /// Whether a sequence starting at this depth is the one to take elements from (asked once, as
    /// the sequence starts).
    mutating func takesSequence(atDepth depth: Int) -> Bool {
        guard takingDepth != 0, Int(takingDepth) == depth else { return false }
        takingDepth = 0
        return true
    }

    /// An element of that sequence: what stays in the tree in its place.
    mutating func take(_ element: Value) -> Value {
        if case .object(let map) = element, SnapshotLoader.unusable(element) == nil, let packed = PackedObject(KubeObject(root: map)) {
            taken.append(packed)
            return .null
        }
        taken.append(nil)
        return element
    }

    /// The elements taken from the document just parsed (empty when none was), and a fresh start.
    mutating func finishDocument() -> [PackedObject?] {
        takingDepth = 0
        defer { taken = [] }
        return taken.contains { $0 != nil } ? taken : []
    }
}
