/// Condition types and reasons shared by several controllers: one definition, not a copy per
/// controller (the registry review asked for exactly this).
public enum ConditionType {
    public static let ready = "Ready"
    public static let podTemplateValid = "PodTemplateValid"
    public static let groupRefValidated = "GroupRefValidated"
    public static let valid = "Valid"
    public static let deletionBlocked = "DeletionBlocked"
}

public enum ConditionReason {
    public static let ready = "Ready"
    public static let notReady = "NotReady"
    public static let validPodTemplateSpec = "ValidPodTemplateSpec"
    public static let invalidPodTemplateSpec = "InvalidPodTemplateSpec"
    public static let groupRefIsValid = "GroupRefIsValid"
    public static let groupRefNotFound = "GroupRefNotFound"
    public static let groupRefNotReady = "GroupRefNotReady"
    public static let validationSucceeded = "ValidationSucceeded"
    public static let validationFailed = "ValidationFailed"
    public static let referencedByWorkloads = "ReferencedByWorkloads"
    // Structured failure reasons of the MCPRegistry Ready condition (which child could not be ensured).
    public static let configMapFailed = "ConfigMapFailed"
    public static let rbacFailed = "RBACFailed"
    public static let deploymentFailed = "DeploymentFailed"
    public static let serviceFailed = "ServiceFailed"
}

/// Workload phases. MCPServer and MCPRegistry share `Pending/Ready/Failed/Terminating` (APRIL
/// called Ready `Running`; it is accepted when read).
public enum Phase {
    public static let pending = "Pending"
    public static let ready = "Ready"
    public static let failed = "Failed"
    public static let terminating = "Terminating"
    public static let stopped = "Stopped"
    public static let degraded = "Degraded"
    /// APRIL's name for Ready.
    public static let legacyRunning = "Running"

    /// Reads a stored phase, mapping the legacy `Running` to `Ready`.
    public static func normalized(_ phase: String?) -> String? {
        phase == legacyRunning ? ready : phase
    }
}

// MARK: MCPServer and MCPGroup (spec A §1.1)

extension ConditionType {
    public static let mcpServersChecked = "MCPServersChecked"
    public static let stdioReplicaCapped = "StdioReplicaCapped"
    public static let sessionStorageWarning = "SessionStorageWarning"
    public static let rateLimitConfigValid = "RateLimitConfigValid"
    public static let oidcConfigRefValidated = "OIDCConfigRefValidated"
    public static let authzConfigRefValidated = "AuthzConfigRefValidated"
    public static let telemetryConfigRefValidated = "TelemetryConfigRefValidated"
    public static let externalAuthConfigValidated = "ExternalAuthConfigValidated"
    public static let authServerRefValidated = "AuthServerRefValidated"
    public static let authzPrimaryUpstreamProviderIgnored = "AuthzPrimaryUpstreamProviderIgnored"
}

extension ConditionReason {
    public static let listMCPServersCheckSucceeded = "ListMCPServersCheckSucceeded"
    public static let listMCPServersCheckFailed = "ListMCPServersCheckFailed"
    public static let stdioTransportCapAt1 = "StdioTransportCapAt1"
    public static let stdioReplicaCapNotActive = "StdioReplicaCapNotActive"
    public static let sessionStorageMissingForReplicas = "SessionStorageMissingForReplicas"
    public static let sessionStorageConfigured = "SessionStorageConfigured"
    public static let sessionStorageWarningNotApplicable = "SessionStorageWarningNotApplicable"
    public static let rateLimitConfigValid = "RateLimitConfigValid"
    public static let perUserRequiresAuth = "PerUserRequiresAuth"
    public static let rateLimitNotApplicable = "RateLimitNotApplicable"
    public static let oidcConfigRefValid = "OIDCConfigRefValid"
    public static let oidcConfigRefNotFound = "OIDCConfigRefNotFound"
    public static let oidcConfigRefNotValid = "OIDCConfigRefNotValid"
    public static let authzConfigRefValid = "AuthzConfigRefValid"
    public static let authzConfigRefNotFound = "AuthzConfigRefNotFound"
    public static let authzConfigRefNotValid = "AuthzConfigRefNotValid"
    public static let telemetryConfigRefValid = "TelemetryConfigRefValid"
    public static let telemetryConfigRefNotFound = "TelemetryConfigRefNotFound"
    public static let authServerRefValid = "AuthServerRefValid"
    public static let authServerRefNotFound = "AuthServerRefNotFound"
    public static let authServerRefInvalidKind = "AuthServerRefInvalidKind"
    public static let authServerRefInvalidType = "AuthServerRefInvalidType"
    public static let multiUpstreamNotSupported = "MultiUpstreamNotSupported"
    public static let invalidExternalAuthConfig = "InvalidExternalAuthConfig"
    public static let primaryUpstreamProviderIgnored = "PrimaryUpstreamProviderIgnored"
}
