/// MCPRegistry (spec A §4.1–§4.2, the LATEST `configYAML` model). Both versions are deprecated.
enum MCPRegistrySchema {
    static let kind = KindSchema(
        Kinds.mcpRegistry, plural: "mcpregistries", shortNames: ["mcpreg", "registry"],
        columns: PrinterColumn.workload,
        spec: spec, status: status,
        deprecationWarning: "MCPRegistry is deprecated and will be removed in a future release; install the ToolHive registry server via the toolhive-registry-server Helm chart (https://github.com/stacklok/toolhive-registry-server) instead",
        storageVersionDeprecated: true)

    static let spec: SchemaNode = .object([
        "configYAML": .string.minLen(1).req,
        "displayName": .string,
        "imagePullSecrets": SharedSchemas.localObjectReferences,
        "pgpassSecretRef": .object([
            "key": .string.req,
            "name": .string.def(""),
            "optional": .boolean,
        ]).atomic,
        "podTemplateSpec": .freeform,
        "volumeMounts": .list(.any).preserveUnknown.atomic,
        "volumes": .list(.any).preserveUnknown.atomic,
    ])

    static let status: SchemaNode = .object([
        "conditions": SharedSchemas.conditions,
        "message": .string,
        "observedGeneration": .int64,
        "phase": .string.enumOf("Pending", "Ready", "Failed", "Terminating"),
        "readyReplicas": .int32,
        "url": .string,
    ])
}
