/// The MCPRegistry resource (spec A §4, LATEST `configYAML` model): typed spec, the reconciler-side
/// validation of §4.2, and the consolidated status shape.
///
/// The typed model is read from the object's tree with `FieldReader`, so every decoding error names
/// its field. Decoding never traps: a bad object becomes a `Failed` status with a reason.
public enum MCPRegistry {
    public static let kind = Kinds.mcpRegistry
    public static let finalizer = "mcpregistry.toolhive.stacklok.dev/finalizer"

    /// The registry API's HTTP port: the ONE constant used for the container port, the Service port
    /// and target port, and the advertised URL (the seed's review asked for exactly one).
    public static let apiPort: Int64 = 8080
    /// Health and readiness probes are served on a separate port (LATEST, commit f6137d590).
    public static let healthPort: Int64 = 8081
    /// The operator's container in the pod template; a user container with this name is merged into it.
    public static let containerName = "registry-api"
    /// The ConfigMap volume holding `config.yaml`; reserved (§4.2).
    public static let configVolumeName = "registry-server-config"
    public static let configMountPath = "/config"
    public static let configFileKey = "config.yaml"
    /// pgpass plumbing names (§4.4.3); reserved while `pgpassSecretRef` is set.
    public static let pgpassSecretVolumeName = "pgpass-secret"
    public static let pgpassVolumeName = "pgpass"
    public static let pgpassInitContainerName = "setup-pgpass"
    public static let pgpassMountPath = "/home/appuser/.pgpass"

    /// `http://R-api.<ns>:8080`, advertised only while the API is ready.
    public static func url(name: String, namespace: String) -> String {
        "http://\(Naming.registryAPI(name)).\(namespace):\(apiPort)"
    }

    /// Warning event text of §4.5 step 1.
    public static let deprecationReason = "MCPRegistryDeprecated"
    public static let deprecationMessage =
        "The MCPRegistry CRD is deprecated and will be removed in a future release; install the ToolHive registry server via the toolhive-registry-server Helm chart (https://github.com/stacklok/toolhive-registry-server) instead"
}

/// `spec` of an MCPRegistry, typed. `volumes`, `volumeMounts` and `podTemplateSpec` stay raw trees:
/// they are passed through to the pod template, and only checked for the fields the operator reads.
public struct MCPRegistrySpec: Sendable, Equatable {
    public var configYAML: String
    public var displayName: String?
    public var volumes: [Value]
    public var volumeMounts: [Value]
    /// A Secret referenced by name and key only: its content never passes through the operator.
    public var pgpassSecretRef: SecretKeyRef?
    /// Raw user template; validated separately (its failure has its own condition, §4.5 step 2).
    public var podTemplateSpec: Value?
    /// `spec.imagePullSecrets[].name`, in order.
    public var imagePullSecrets: [String]

    /// Decodes the typed fields. Structural problems in `volumes`/`volumeMounts` are left for
    /// `validate` so they get the spec's `invalid volumes: …` wording.
    public init(_ spec: FieldReader) throws(FieldError) {
        guard case .object = spec.value else { throw spec.typeError("a map") }
        configYAML = try spec.string("configYAML")
        displayName = try spec.optionalString("displayName")
        volumes = try spec.optionalList("volumes")?.map(\.value) ?? []
        volumeMounts = try spec.optionalList("volumeMounts")?.map(\.value) ?? []
        if let ref = try spec.optionalMap("pgpassSecretRef") {
            pgpassSecretRef = SecretKeyRef(name: try ref.optionalString("name") ?? "", key: try ref.optionalString("key") ?? "")
        } else {
            pgpassSecretRef = nil
        }
        let template = spec.child("podTemplateSpec").value
        // Not `cond ? nil : template`: with Value's nil literal that would store `.some(.null)`.
        podTemplateSpec = template.isNull ? Value?.none : template
        var pulls: [String] = []
        for item in try spec.optionalList("imagePullSecrets") ?? [] {
            guard case .object = item.value else { throw item.typeError("a map") }
            if let n = try item.optionalString("name"), !n.isEmpty { pulls.append(n) }
        }
        imagePullSecrets = pulls
    }

    /// The reconciler-side checks of §4.2 (run after the pod template decoded). The messages are
    /// the real operator's, which its tests match as substrings.
    public func validate(podTemplate: Value?) throws(MCPRegistryValidationError) {
        let usesPgpass = pgpassSecretRef != nil
        if let ref = pgpassSecretRef {
            if ref.name.isEmpty { throw .init("pgpassSecretRef.name is required") }
            if ref.key.isEmpty { throw .init("pgpassSecretRef.key is required") }
        }
        var reserved = [MCPRegistry.configVolumeName]
        if usesPgpass { reserved += [MCPRegistry.pgpassSecretVolumeName, MCPRegistry.pgpassVolumeName] }

        var volumeNames: [String] = []
        for (i, v) in volumes.enumerated() {
            let r = FieldReader(v, path: "spec.volumes[\(i)]")
            do throws(FieldError) {
                guard case .object = v else { throw r.typeError("a map") }
                let name = try r.string("name")
                if name.isEmpty { throw r.child("name").error("must not be empty") }
                volumeNames.append(name)
            } catch {
                throw .init("invalid volumes: \(error)")
            }
        }
        var mountPaths: [String] = [MCPRegistry.configMountPath]
        if usesPgpass { mountPaths.append(MCPRegistry.pgpassMountPath) }
        for (i, m) in volumeMounts.enumerated() {
            let r = FieldReader(m, path: "spec.volumeMounts[\(i)]")
            do throws(FieldError) {
                guard case .object = m else { throw r.typeError("a map") }
                _ = try r.string("name")
                mountPaths.append(try r.string("mountPath"))
                _ = try r.optionalBool("readOnly")
                _ = try r.optionalString("subPath")
            } catch {
                throw .init("invalid volumeMounts: \(error)")
            }
        }
        if let template = podTemplate {
            volumeNames += (template[path: "spec.volumes"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            if usesPgpass {
                let inits = (template[path: "spec.initContainers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                if inits.contains(MCPRegistry.pgpassInitContainerName) {
                    throw .init("init container name '\(MCPRegistry.pgpassInitContainerName)' is reserved by the operator when pgpassSecretRef is set")
                }
            }
            let container = (template[path: "spec.containers"]?.arrayValue ?? []).first { $0["name"]?.stringValue == MCPRegistry.containerName }
            mountPaths += (container?["volumeMounts"]?.arrayValue ?? []).compactMap { $0["mountPath"]?.stringValue }
        }
        for name in reserved where volumeNames.contains(name) {
            throw .init("volume name '\(name)' is reserved by the operator")
        }
        var seen = Set<String>()
        for p in mountPaths {
            if !seen.insert(p).inserted { throw .init("duplicate mount path '\(p)'") }
        }
    }
}

/// A §4.2 spec validation failure; `description` is the text after "Spec validation failed: ".
public struct MCPRegistryValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The consolidated status (seed 001): phase, message, url, readyReplicas, observedGeneration and
/// the conditions. Read from any stored status, including APRIL's `Running` phase.
public struct MCPRegistryStatus: Sendable, Equatable {
    public var phase: String? = nil
    public var message: String? = nil
    public var url: String? = nil
    /// Written only when non-zero, like the Go field's `omitempty`.
    public var readyReplicas: Int64 = 0
    public var observedGeneration: Int64 = 0
    public var conditions = ConditionList()
}

extension MCPRegistryStatus {
    /// Reads a stored status; the legacy phase `Running` reads as `Ready`. Fields of the old
    /// three-phase model (`syncStatus`, `apiStatus`) are ignored, so the next write drops them.
    public init(reading status: Value) {
        phase = Phase.normalized(status["phase"]?.stringValue)
        message = status["message"]?.stringValue
        url = status["url"]?.stringValue
        readyReplicas = status["readyReplicas"]?.intValue ?? 0
        observedGeneration = status["observedGeneration"]?.intValue ?? 0
        conditions = ConditionList(status: status)
    }

    public var value: Value {
        var m = OrderedMap()
        if let phase { m["phase"] = .string(phase) }
        if let message { m["message"] = .string(message) }
        if let url, !url.isEmpty { m["url"] = .string(url) }
        if readyReplicas != 0 { m["readyReplicas"] = .int(readyReplicas) }
        if observedGeneration != 0 { m["observedGeneration"] = .int(observedGeneration) }
        if !conditions.items.isEmpty { m["conditions"] = conditions.value }
        return .object(m)
    }
}
