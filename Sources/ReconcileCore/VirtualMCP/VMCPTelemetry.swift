/// `telemetryConfigRef` resolved against an MCPTelemetryConfig (spec §3.4 env step 7, §4.2): the
/// normalised `telemetry:` section of config.yaml, the OTEL env vars (sensitive headers as
/// `secretKeyRef`s, never values) and the CA bundle to mount.
public struct VMCPTelemetry: Sendable, Equatable {
    public var section: Value
    public var env: [Value]
    public var caBundleConfigMap: String?

    public static func resolve(config: KubeObject, serviceName: String, namespace: String) -> VMCPTelemetry {
        let otel = config.spec["openTelemetry"] ?? .null
        var m = OrderedMap()
        if let e = otel["endpoint"]?.stringValue, !e.isEmpty { m["endpoint"] = .string(e) }
        m["serviceName"] = .string(serviceName)
        let enabled = otel["enabled"]?.boolValue ?? false
        m["tracingEnabled"] = .bool(enabled && (otel[path: "tracing.enabled"]?.boolValue ?? false))
        m["metricsEnabled"] = .bool(enabled && (otel[path: "metrics.enabled"]?.boolValue ?? false))
        m["samplingRate"] = .string(otel[path: "tracing.samplingRate"]?.stringValue ?? "0.05")
        if let h = otel["headers"], !h.isEmptyish { m["headers"] = .object((h.objectValue ?? OrderedMap()).sortedByKey()) }
        m["insecure"] = .bool(otel["insecure"]?.boolValue ?? false)
        m["enablePrometheusMetricsPath"] = .bool(config.spec[path: "prometheus.enabled"]?.boolValue ?? false)
        m["useLegacyAttributes"] = .bool(otel["useLegacyAttributes"]?.boolValue ?? true)
        if let a = otel["resourceAttributes"], !a.isEmptyish { m["customAttributes"] = .object((a.objectValue ?? OrderedMap()).sortedByKey()) }
        var ca: String? = nil
        if let cm = otel[path: "caBundleRef.configMapRef.name"]?.stringValue, !cm.isEmpty {
            ca = cm
            let key = otel[path: "caBundleRef.configMapRef.key"]?.stringValue ?? "ca.crt"
            m["caCertPath"] = .string("/config/certs/otel/\(cm)/\(key)")
        }
        var env: [Value] = [EnvVar.plain("OTEL_RESOURCE_ATTRIBUTES", "service.name=\(serviceName),service.namespace=\(namespace)")]
        for h in otel["sensitiveHeaders"]?.arrayValue ?? [] {
            guard let name = h["name"]?.stringValue, let s = h[path: "secretKeyRef.name"]?.stringValue, let k = h[path: "secretKeyRef.key"]?.stringValue else { continue }
            env.append(EnvVar.secret("TOOLHIVE_OTEL_HEADER_\(MCPExternalAuthConfigSpec.envSuffix(name))", secret: s, key: k))
        }
        return VMCPTelemetry(section: .object(m), env: env, caBundleConfigMap: ca)
    }
}
