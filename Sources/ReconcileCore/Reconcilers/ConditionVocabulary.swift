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

extension ConditionReason {
    /// VirtualMCPServer's spelling (MCPServer writes `GroupRefIsValid`).
    public static let groupRefValid = "GroupRefValid"
}
