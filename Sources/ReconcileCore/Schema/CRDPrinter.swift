/// Prints each kind's schema as a CustomResourceDefinition manifest (`operatorctl crds`), in the
/// shape controller-gen writes: keys in alphabetical order, `v1alpha1` served and deprecated,
/// `v1beta1` served and stored, both with the same schema, printer columns and status subresource.
/// Field descriptions are left out.
public enum CRDs {
    /// One CRD manifest per kind, in `SchemaRegistry.all` order.
    public static func all() -> [Value] { SchemaRegistry.all.map(manifest) }

    public static func manifest(for kind: KindSchema) -> Value {
        let group = kind.groupKind.group
        let schema = CRDPrinter.value(of: kind.root)
        let columns = Value.array(kind.printerColumns.map { c in ["jsonPath": .string(c.jsonPath), "name": .string(c.name), "type": .string(c.type)] })

        func version(_ name: String, storage: Bool) -> Value {
            var v = OrderedMap()
            v["additionalPrinterColumns"] = columns
            if let warning = kind.warning(forVersion: name) {
                v["deprecated"] = true
                v["deprecationWarning"] = .string(warning)
            }
            v["name"] = .string(name)
            v["schema"] = ["openAPIV3Schema": schema]
            v["served"] = true
            v["storage"] = .bool(storage)
            v["subresources"] = ["status": [:]]
            return .object(v)
        }

        var names = OrderedMap()
        names["categories"] = ["toolhive"]
        names["kind"] = .string(kind.groupKind.kind)
        names["listKind"] = .string(kind.groupKind.kind + "List")
        names["plural"] = .string(kind.plural)
        names["shortNames"] = .strings(kind.shortNames)
        names["singular"] = .string(kind.singular)

        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": [
                "labels": ["toolhive.stacklok.dev/auto-migrate-storage-version": "true"],
                "name": .string("\(kind.plural).\(group)"),
            ],
            "spec": [
                "group": .string(group),
                "names": .object(names),
                "scope": "Namespaced",
                "versions": [version("v1alpha1", storage: false), version("v1beta1", storage: true)],
            ],
        ]
    }
}

/// `SchemaNode` → OpenAPI v3 JSON schema tree.
public enum CRDPrinter {
    public static func value(of node: SchemaNode) -> Value {
        var m = OrderedMap()
        if let additional = node.additionalProperties { m["additionalProperties"] = value(of: additional) }
        if node.isIntOrString { m["anyOf"] = [["type": "integer"], ["type": "string"]] }
        if let def = node.defaultValue { m["default"] = def }
        if !node.enumValues.isEmpty { m["enum"] = .array(node.enumValues) }
        if let f = node.format { m["format"] = .string(f) }
        if let items = node.items { m["items"] = value(of: items) }
        if let n = node.maxItems { m["maxItems"] = .int(Int64(n)) }
        if let n = node.maxLength { m["maxLength"] = .int(Int64(n)) }
        if let n = node.maxProperties { m["maxProperties"] = .int(Int64(n)) }
        if let n = node.maximum { m["maximum"] = .int(n) }
        if let n = node.minItems { m["minItems"] = .int(Int64(n)) }
        if let n = node.minLength { m["minLength"] = .int(Int64(n)) }
        if let n = node.minimum { m["minimum"] = .int(n) }
        if let p = node.pattern { m["pattern"] = .string(p.source) }
        if !node.properties.isEmpty {
            var props = OrderedMap()
            for name in node.properties.keys.sorted() {
                if let child = node.properties[name] { props[name] = value(of: child) }
            }
            m["properties"] = .object(props)
        }
        if !node.required.isEmpty { m["required"] = .strings(node.required) }
        if node.kind != .any { m["type"] = .string(node.kind.rawValue) }
        if node.isIntOrString { m["x-kubernetes-int-or-string"] = true }
        switch node.listType {
        case .map(let keys)?:
            m["x-kubernetes-list-map-keys"] = .strings(keys)
            m["x-kubernetes-list-type"] = "map"
        case .set?: m["x-kubernetes-list-type"] = "set"
        case .atomic?: m["x-kubernetes-list-type"] = "atomic"
        case nil: break
        }
        if node.isAtomicMap { m["x-kubernetes-map-type"] = "atomic" }
        if node.preservesUnknownFields { m["x-kubernetes-preserve-unknown-fields"] = true }
        if !node.rules.isEmpty {
            m["x-kubernetes-validations"] = .array(node.rules.map { ["message": .string($0.message), "rule": .string($0.cel)] })
        }
        return .object(m)
    }
}
