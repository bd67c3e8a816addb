/// The contract's List document: `{"apiVersion": "v1", "kind": "List", "items": [...]}` with items
/// sorted by apiVersion, kind, namespace, name. `convert` and `converge` both print it.
public enum ObjectList {
    public static func value(_ objects: [KubeObject]) -> Value {
        var root = OrderedMap()
        root["apiVersion"] = "v1"
        root["kind"] = "List"
        root["items"] = .array(objects.sorted { $0.reference < $1.reference }.map(\.value))
        return .object(root)
    }
}
