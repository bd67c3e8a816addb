/// A Kubernetes REST path, parsed: what the sandbox routes on. Pure, so routing is unit-tested.
public enum APIPath: Sendable, Equatable {
    case version
    case coreVersions                       // /api
    case groups                             // /apis
    case group(String)                      // /apis/<group>
    case resourceList(group: String, version: String)
    case resource(ResourceAddress)
    case health(String)                     // /healthz, /readyz, /livez
    case unknown

    public static func parse(_ path: String, catalog: ResourceCatalog) -> APIPath {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.first {
        case "version": return parts.count == 1 ? .version : .unknown
        case "healthz", "readyz", "livez": return .health(parts[0])
        case "api":
            if parts.count == 1 { return .coreVersions }
            if parts.count == 2 { return .resourceList(group: "", version: parts[1]) }
            return resource(group: "", version: parts[1], rest: Array(parts.dropFirst(2)), catalog: catalog)
        case "apis":
            if parts.count == 1 { return .groups }
            if parts.count == 2 { return .group(parts[1]) }
            if parts.count == 3 { return .resourceList(group: parts[1], version: parts[2]) }
            return resource(group: parts[1], version: parts[2], rest: Array(parts.dropFirst(3)), catalog: catalog)
        default: return .unknown
        }
    }

    private static func resource(group: String, version: String, rest: [String], catalog: ResourceCatalog) -> APIPath {
        var namespace: String? = nil
        var rest = rest
        if rest.count >= 3, rest[0] == "namespaces", let r = catalog.resource(group: group, plural: rest[2]), r.namespaced {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let plural = rest.first, let type = catalog.resource(group: group, plural: plural), type.versions.contains(version),
            rest.count <= 3
        else { return .unknown }
        if rest.count == 3 && rest[2] != "status" { return .unknown }
        return .resource(ResourceAddress(type: type, version: version, namespace: namespace,
                                         name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? .status : .main))
    }
}

/// A resource path: the type, the version asked for, and optionally namespace, name, subresource.
public struct ResourceAddress: Sendable, Equatable {
    public var type: ResourceType
    public var version: String
    public var namespace: String?
    public var name: String?
    public var subresource: Subresource

    public var apiVersion: String { type.apiVersion(version) }
}
