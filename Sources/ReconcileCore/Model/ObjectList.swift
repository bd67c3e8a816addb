/// The contract's List document: `{"apiVersion": "v1", "kind": "List", "items": [...]}` with items
/// sorted by apiVersion, kind, namespace, name. `convert` and `converge` both print it.
public enum ObjectList {
    /// The entries before `items`, for writers that stream the items (`ListDocumentWriter`).
    public static let header = OrderedMap([("apiVersion", "v1"), ("kind", "List")])
    public static let listKey = "items"

    public static func value(_ objects: [KubeObject]) -> Value {
        var root = header
        root[listKey] = .array(sortedByReference(objects).map(\.value))
        return .object(root)
    }

    /// Sorted by apiVersion, kind, namespace, name; each object's reference is computed once.
    public static func sortedByReference(_ objects: [KubeObject]) -> [KubeObject] {
        objects.map { ($0.reference, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
