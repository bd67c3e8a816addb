/// MCPGroup (spec A §3.1–§3.2): only a description; nothing in the spec can be invalid.
enum MCPGroupSchema {
    static let kind = KindSchema(
        Kinds.mcpGroup, plural: "mcpgroups", shortNames: ["mcpg", "mcpgroup"],
        columns: [
            PrinterColumn("Servers", "integer", ".status.serverCount"), PrinterColumn("Proxies", "integer", ".status.remoteProxyCount"),
            PrinterColumn("Phase", "string", ".status.phase"), .condition("Checked", type: "MCPServersChecked"), .age,
        ],
        spec: spec, status: status)

    static let spec: SchemaNode = .object([
        "description": .string,
    ])

    static let status: SchemaNode = .object([
        "conditions": SharedSchemas.conditions,
        "entries": .list(.string).set,
        "entryCount": .int32,
        "observedGeneration": .int64,
        "phase": .string.enumOf("Ready", "Pending", "Failed").def("Pending"),
        "remoteProxies": .list(.string).set,
        "remoteProxyCount": .int32,
        "serverCount": .int32,
        "servers": .list(.string).set,
    ])
}
