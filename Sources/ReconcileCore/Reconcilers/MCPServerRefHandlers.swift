/// The MCPServer's ref handlers (spec A §2.5, §2.6 step 9), in the Go order: toolConfig,
/// telemetryConfig, externalAuthConfig, webhookConfig, authServerRef, oidcConfig, authzConfig.
/// Each copies the referenced object's `status.configHash` into the server's status and sets its
/// condition; the first failure stops the chain and becomes the Ready message.
///
/// Modelled: existence, the Valid conditions the Go handlers read, hashes, tool filters. Not
/// modelled: what OIDC, telemetry, token exchange, webhooks and the embedded auth server add to
/// the Deployment env and the RunConfig (see docs/mcpserver-reconciler.md).
enum MCPServerRefs {
    /// nil on success; otherwise the error text Go would return.
    static func resolve(_ server: MCPServer, snapshot: Snapshot, status: inout ServerStatus, tools: inout RunConfigBuilder.Tools, now: Timestamp) -> String? {
        let s = server.spec
        let ns = server.namespace
        let gen = server.generation
        func get(_ kind: GroupKind, _ name: String) -> KubeObject? { snapshot.get(kind, namespace: ns, name: name) }
        func hash(_ o: KubeObject) -> String { o.status["configHash"]?.stringValue ?? "" }
        func isValid(_ o: KubeObject) -> Condition? { o.condition(ConditionType.valid) }
        func set(_ type: String, _ st: ConditionStatus, _ reason: String, _ message: String) {
            status.conditions.set(type, st, reason: reason, message: message, observedGeneration: gen, now: now)
        }

        // toolConfigRef: no condition of its own.
        if let n = s.toolConfigRef {
            guard let tc = get(Kinds.mcpToolConfig, n) else { return "MCPToolConfig \(n) not found in namespace \(ns)" }
            status.hashes["toolConfigHash"] = hash(tc)
            tools = RunConfigBuilder.Tools(toolConfig: tc)
        } else {
            status.hashes["toolConfigHash"] = nil
        }

        if let n = s.telemetryConfigRef {
            let type = ConditionType.telemetryConfigRefValidated
            guard let tc = get(Kinds.mcpTelemetryConfig, n) else {
                set(type, .false, ConditionReason.telemetryConfigRefNotFound, "MCPTelemetryConfig \(n) not found")
                return "MCPTelemetryConfig \(n) not found"
            }
            set(type, .true, ConditionReason.telemetryConfigRefValid, "MCPTelemetryConfig \(n) is valid")
            status.hashes["telemetryConfigHash"] = hash(tc)
        } else {
            status.hashes["telemetryConfigHash"] = nil
        }

        let extType = ConditionType.externalAuthConfigValidated
        if let n = s.externalAuthConfigRef {
            guard let eac = get(Kinds.mcpExternalAuthConfig, n) else {
                status.conditions.remove(extType)
                return "MCPExternalAuthConfig \(n) not found"
            }
            if let valid = isValid(eac), valid.status == .false {
                let reason = valid.reason.isEmpty ? ConditionReason.invalidExternalAuthConfig : valid.reason
                set(extType, .false, reason, valid.message)
                return "MCPExternalAuthConfig \(ns)/\(n): invalid (\(reason)): \(valid.message)"
            }
            let upstreams = eac.spec[path: "embeddedAuthServer.upstreamProviders"]?.arrayValue?.count ?? 0
            if upstreams > 1 {
                set(extType, .false, ConditionReason.multiUpstreamNotSupported, "MCPServer supports only one upstream provider (found \(upstreams)); use VirtualMCPServer for multi-upstream")
                return "MCPServer \(ns)/\(server.name): embedded auth server has \(upstreams) upstream providers, but only 1 is supported; use VirtualMCPServer"
            }
            status.conditions.remove(extType)
            status.hashes["externalAuthConfigHash"] = hash(eac)
        } else {
            status.conditions.remove(extType)
            status.hashes["externalAuthConfigHash"] = nil
        }

        if let n = s.webhookConfigRef {
            guard let wc = get(Kinds.mcpWebhookConfig, n) else { return "MCPWebhookConfig \(n) not found" }
            status.hashes["webhookConfigHash"] = hash(wc)
        } else {
            status.hashes["webhookConfigHash"] = nil
        }

        let asType = ConditionType.authServerRefValidated
        if let ref = s.authServerRef {
            guard ref.kind == "MCPExternalAuthConfig" else {
                let m = "unsupported authServerRef kind \"\(ref.kind)\": only MCPExternalAuthConfig is supported"
                set(asType, .false, ConditionReason.authServerRefInvalidKind, m)
                return m
            }
            guard let eac = get(Kinds.mcpExternalAuthConfig, ref.name) else {
                let m = "MCPExternalAuthConfig '\(ref.name)' not found in namespace '\(ns)'"
                set(asType, .false, ConditionReason.authServerRefNotFound, m)
                return m
            }
            let t = eac.spec["type"]?.stringValue ?? ""
            guard t == "embeddedAuthServer" else {
                let m = "authServerRef '\(ref.name)' has type \"\(t)\", but only embeddedAuthServer is supported"
                set(asType, .false, ConditionReason.authServerRefInvalidType, m)
                return m
            }
            let upstreams = eac.spec[path: "embeddedAuthServer.upstreamProviders"]?.arrayValue?.count ?? 0
            if upstreams > 1 {
                set(asType, .false, ConditionReason.multiUpstreamNotSupported, "MCPServer supports only one upstream provider (found \(upstreams)); use VirtualMCPServer for multi-upstream")
                return "MCPServer \(ns)/\(server.name): embedded auth server has \(upstreams) upstream providers, but only 1 is supported; use VirtualMCPServer"
            }
            status.hashes["authServerConfigHash"] = hash(eac)
            set(asType, .true, ConditionReason.authServerRefValid, "AuthServerRef '\(ref.name)' is valid")
        } else {
            status.conditions.remove(asType)
            status.hashes["authServerConfigHash"] = nil
        }

        if let ref = s.oidcConfigRef {
            let type = ConditionType.oidcConfigRefValidated
            guard let oc = get(Kinds.mcpOIDCConfig, ref.name) else {
                set(type, .false, ConditionReason.oidcConfigRefNotFound, "MCPOIDCConfig \(ref.name) not found")
                return "MCPOIDCConfig \(ref.name) not found"
            }
            if let valid = isValid(oc), valid.status == .true {
                set(type, .true, ConditionReason.oidcConfigRefValid, "MCPOIDCConfig \(ref.name) is valid and ready")
                status.hashes["oidcConfigHash"] = hash(oc)
            } else {
                let m = isValid(oc).map { "MCPOIDCConfig \(ref.name) is not valid: \($0.message)" } ?? "MCPOIDCConfig \(ref.name) is not valid"
                set(type, .false, ConditionReason.oidcConfigRefNotValid, m)
                return m
            }
        } else {
            status.hashes["oidcConfigHash"] = nil
        }

        let azType = ConditionType.authzConfigRefValidated
        if let n = s.authzConfigRef {
            guard let ac = get(Kinds.mcpAuthzConfig, n) else {
                set(azType, .false, ConditionReason.authzConfigRefNotFound, "MCPAuthzConfig \(n) not found")
                return "MCPAuthzConfig \(n) not found"
            }
            guard let valid = isValid(ac), valid.status == .true else {
                let detail = isValid(ac).map { "MCPAuthzConfig \(n) is not ready: \($0.message)" } ?? "MCPAuthzConfig \(n) is not ready"
                set(azType, .false, ConditionReason.authzConfigRefNotValid, "MCPAuthzConfig \(n) is not valid: \(detail)")
                return detail
            }
            set(azType, .true, ConditionReason.authzConfigRefValid, "MCPAuthzConfig \(n) is valid and ready")
            status.hashes["authzConfigHash"] = hash(ac)
        } else {
            status.conditions.remove(azType)
            status.hashes["authzConfigHash"] = nil
        }
        return nil
    }
}
