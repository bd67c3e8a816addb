/// Every name the operator gives an object it creates, in one place (from the specs: §2.4, §4.4
/// of spec A and §3 of spec B).
public enum Naming {
    // MCPServer `N`
    public static func serverDeployment(_ n: String) -> String { n }
    public static func serverProxyService(_ n: String) -> String { "mcp-\(n)-proxy" }
    public static func serverProxyRunner(_ n: String) -> String { "\(n)-proxy-runner" }
    public static func serverServiceAccount(_ n: String) -> String { "\(n)-sa" }
    public static func serverRunConfig(_ n: String) -> String { "\(n)-runconfig" }
    public static func serverAuthzInline(_ n: String) -> String { "\(n)-authz-inline" }
    public static func serverStatefulSet(_ n: String) -> String { n }
    public static func serverHeadlessService(_ n: String) -> String { "mcp-\(n)-headless" }
    public static func serverBackendService(_ n: String) -> String { "mcp-\(n)" }

    // MCPRegistry `R`
    public static func registryAPI(_ r: String) -> String { "\(r)-api" }
    public static func registryRBAC(_ r: String) -> String { "\(r)-registry-api" }
    public static func registryConfigMap(_ r: String) -> String { "\(r)-registry-server-config" }

    // VirtualMCPServer `N`
    public static func vmcpDeployment(_ n: String) -> String { n }
    public static func vmcpService(_ n: String) -> String { "vmcp-\(n)" }
    public static func vmcpRBAC(_ n: String) -> String { "\(n)-vmcp" }
    public static func vmcpHMACSecret(_ n: String) -> String { "\(n)-hmac-secret" }
    public static func vmcpConfigMap(_ n: String) -> String { "\(n)-vmcp-config" }
}
