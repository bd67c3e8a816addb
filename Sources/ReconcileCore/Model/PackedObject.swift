/// A `KubeObject` kept as compact bytes, decoded back into its tree on every read.
///
/// A loaded object's tree costs about five bytes of memory per byte of input (map entry arrays,
/// array headers, allocator overhead, out-of-line strings); these bytes about half a byte. A
/// large snapshot is stored this way (`Snapshot.upsert(_:packed:)`) so that reading a file does
/// not hold every object's tree at once.
///
/// The encoding is self-describing and exact: maps keep their order, an int stays an int, a
/// double keeps its bit pattern (−0.0 and NaN included). Each value is a tag byte then its
/// payload; lengths and counts are LEB128 varints, given before the items so the decoder reserves
/// room once. A string is a varint `n`: when `n` is odd, entry `n/2` of `commonStrings` (the keys
/// and values most manifests repeat); when `n % 4` is 0, `n/4` raw UTF-8 bytes follow; when it
/// is 2, a varint offset follows: the `n/4` bytes at that offset of the chunk, written there by
/// an earlier object (`PackedArena`). A string
/// value that is a UUID in its canonical lowercase form (every object's `uid`, every owner
/// reference's) is tagged `uuid` and kept as its 16 bytes instead of 36 characters.
public struct PackedObject: Sendable {
    /// The chunk holding the encoded root map (its tag included) at `start..<start + count`.
    /// Strings may refer to bytes of the chunk before `start` (see `PackedArena`).
    /// (32-bit: a chunk is at most 4 GiB, and a snapshot entry stays 32 bytes.)
    let chunk: PackedChunk
    private let offset: UInt32
    private let length: UInt32
    var start: Int { Int(offset) }
    var count: Int { Int(length) }

    /// The object packed on its own, in a chunk exactly its size (a snapshot packs through its
    /// `PackedArena` instead). Nil when the tree nests deeper than `maxDepth` (the decoder's
    /// limit): keep such an object as a tree.
    public init?(_ object: KubeObject) {
        guard let encoded = Self.encode(object, sharing: nil) else { return nil }
        self.init(bytes: encoded.bytes)
    }

    /// Bytes as they are, for tests of what decoding does with bytes it did not produce (more
    /// than 4 GiB of them read as empty).
    init(bytes: [UInt8]) {
        self.init(chunk: PackedChunk(holding: bytes), start: 0, count: bytes.count)
    }

    /// The object at `start..<start + count` of `chunk`; a range past 4 GiB reads as empty.
    init(chunk: PackedChunk, start: Int, count: Int) {
        self.chunk = chunk
        guard let o = UInt32(exactly: start), let n = UInt32(exactly: count) else {
            (offset, length) = (0, 0)
            return
        }
        (offset, length) = (o, n)
    }

    /// The object's own bytes (a string it shares with an earlier object is a reference there).
    var bytes: [UInt8] { withDecoder { Array($0.buffer[$0.at..<$0.end]) } }

    /// The encoding of `object`, strings that `known` lists written as references to them; and
    /// where, in the returned bytes, each string that could be shared later starts (nothing is
    /// looked up or noted when `known` is nil: an object packed on its own). Nil when too deep
    /// to pack.
    static func encode(_ object: KubeObject, sharing known: [String: UInt32]?) -> (bytes: [UInt8], fresh: [(String, Int)])? {
        var encoder = Encoder(known: known)
        encoder.out.reserveCapacity(1024)
        guard encoder.encode(map: object.root, depth: 1) else { return nil }
        return (encoder.out, encoder.fresh)
    }

    /// A decoder positioned at the object's first byte.
    private func withDecoder<R>(_ body: (inout Decoder) -> R) -> R {
        chunk.read(upTo: start + count) { buffer in
            var decoder = Decoder(buffer, start: start)
            return body(&decoder)
        }
    }

    /// The decoded tree. Bytes we did not produce (or cut short) decode to an empty object rather
    /// than crash; they cannot come from outside the process.
    public var object: KubeObject {
        withDecoder { decoder in
            guard case .object(let root)? = decoder.value(depth: 1), decoder.at == decoder.end else { return KubeObject(root: OrderedMap()) }
            return KubeObject(root: root)
        }
    }

    /// The tree with only the top-level fields in `fields` (the others are stepped over, never
    /// built): a Deployment's metadata and status are a small part of it.
    public func object(only fields: Set<String>) -> KubeObject {
        withDecoder { decoder in
            guard decoder.byte() == Tag.object, let count = decoder.count() else { return KubeObject(root: OrderedMap()) }
            var root = OrderedMap()
            for _ in 0..<count {
                guard let key = decoder.string() else { return KubeObject(root: OrderedMap()) }
                if fields.contains(key) {
                    guard let value = decoder.value(depth: 2) else { return KubeObject(root: OrderedMap()) }
                    root[key] = value
                } else if !decoder.skip(depth: 2) {
                    return KubeObject(root: OrderedMap())
                }
            }
            return KubeObject(root: root)
        }
    }

    /// Whether the object holds every field of `desired`: `desired.isSubset(of: object.value)`,
    /// answered by walking the bytes. Only the fields `desired` names are decoded, and maps and
    /// lists are never built, so asking whether an owned object is already right (what every
    /// reconcile asks of every object it owns) costs a fraction of decoding it. Bytes we did not
    /// produce answer false.
    public func holds(_ desired: Value) -> Bool {
        withDecoder { decoder in
            decoder.holds(desired, depth: 1) ?? false
        }
    }

    /// A top-level string field (`apiVersion`), read without decoding the rest of the tree.
    public func rootString(_ key: String) -> String? {
        withDecoder { decoder in
            guard decoder.byte() == Tag.object, let count = decoder.count() else { return nil }
            for _ in 0..<count {
                guard let k = decoder.string() else { return nil }
                if k == key {
                    guard decoder.byte() == Tag.string else { return nil }
                    return decoder.string()
                }
                guard decoder.skip(depth: 1) else { return nil }
            }
            return nil
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A lowercase hex digit's value (uppercase is not canonical: it would not decode back).
    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Deeper trees are not packed: the decoder recurses once per level and must not exhaust a
    /// worker thread's stack on bytes it did not produce. The JSON reader's own limit.
    public static let maxDepth = JSONReader.maxDepth

    enum Tag {
        static let null: UInt8 = 0
        static let `false`: UInt8 = 1
        static let `true`: UInt8 = 2
        static let int: UInt8 = 3
        static let double: UInt8 = 4
        static let string: UInt8 = 5
        static let array: UInt8 = 6
        static let object: UInt8 = 7
        static let uuid: UInt8 = 8
    }

    // MARK: encoding

    private struct Encoder {
        var out: [UInt8] = []
        /// Strings already in the chunk the bytes will go to, by offset; nil when not sharing.
        let known: [String: UInt32]?
        /// Strings written out here that a later object could refer to, by offset in `out`.
        var fresh: [(String, Int)] = []
        init(known: [String: UInt32]?) { self.known = known }

        mutating func encode(_ value: Value, depth: Int) -> Bool {
            switch value {
            case .null: out.append(Tag.null)
            case .bool(let b): out.append(b ? Tag.true : Tag.false)
            case .int(let i):
                out.append(Tag.int)
                varint(UInt64(bitPattern: (i << 1) ^ (i >> 63)))  // zigzag: small negatives stay short
            case .double(let d):
                out.append(Tag.double)
                var bits = d.bitPattern
                for _ in 0..<8 {
                    out.append(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            case .string(let s):
                if !uuid(s) {
                    out.append(Tag.string)
                    string(s)
                }
            case .array(let items):
                guard depth < PackedObject.maxDepth else { return false }
                out.append(Tag.array)
                varint(UInt64(items.count))
                for item in items where !encode(item, depth: depth + 1) { return false }
            case .object(let map):
                return encode(map: map, depth: depth)
            }
            return true
        }

        mutating func encode(map: OrderedMap, depth: Int) -> Bool {
            guard depth < PackedObject.maxDepth else { return false }
            out.append(Tag.object)
            varint(UInt64(map.count))
            for (k, v) in map {
                string(k)
                if !encode(v, depth: depth + 1) { return false }
            }
            return true
        }

        mutating func string(_ s: String) {
            if let i = CommonStrings.index(of: s) {
                varint(UInt64(i) << 1 | 1)
                return
            }
            let n = s.utf8.count
            if n >= PackedArena.shortestShared, let known {
                if let offset = known[s] {
                    varint(UInt64(n) << 2 | 2)
                    varint(UInt64(offset))
                    return
                }
                varint(UInt64(n) << 2)
                fresh.append((s, out.count))
            } else {
                varint(UInt64(n) << 2)
            }
            out.append(contentsOf: s.utf8)
        }

        /// Appends `s` as `Tag.uuid` and 16 bytes when it is a canonical lowercase UUID
        /// (8-4-4-4-12 hex digits), so that decoding gives back exactly `s`.
        mutating func uuid(_ s: String) -> Bool {
            guard s.utf8.count == 36 else { return false }
            var s = s
            let mark = out.count
            let packed = s.withUTF8 { u in
                out.append(Tag.uuid)
                var i = 0
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard u[i] == UInt8(ascii: "-") else { return false }
                        i += 1
                        continue
                    }
                    guard let high = PackedObject.hexValue(u[i]), let low = PackedObject.hexValue(u[i + 1]) else { return false }
                    out.append(high << 4 | low)
                    i += 2
                }
                return true
            }
            if !packed { out.removeSubrange(mark...) }
            return packed
        }

        mutating func varint(_ n: UInt64) {
            var n = n
            while n >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: n) | 0x80)
                n >>= 7
            }
            out.append(UInt8(n))
        }
    }

    // MARK: decoding

    /// One pass over the bytes; every read is bounds-checked and reports failure as nil.
    private struct Decoder {
        /// The chunk up to the object's end: the object is `start..<end`, and the bytes before
        /// `start` are what its shared strings may refer to.
        let buffer: UnsafeBufferPointer<UInt8>
        let start: Int
        var at: Int
        var end: Int { buffer.count }
        init(_ buffer: UnsafeBufferPointer<UInt8>, start: Int) {
            self.buffer = buffer
            self.start = min(max(0, start), buffer.count)
            at = self.start
        }

        mutating func byte() -> UInt8? {
            guard at < end else { return nil }
            defer { at += 1 }
            return buffer[at]
        }

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while at < end, shift < 64 {
                let b = buffer[at]
                at += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        /// A count of items, each at least one byte long: larger than what is left means bad bytes
        /// (checked so a bad count never reserves gigabytes).
        mutating func count() -> Int? {
            guard let n = varint(), n <= UInt64(end - at) else { return nil }
            return Int(n)
        }

        mutating func string() -> String? {
            guard let n = varint() else { return nil }
            if n & 1 == 1 {
                let i = n >> 1
                guard i < UInt64(CommonStrings.table.count) else { return nil }
                return CommonStrings.table[Int(i)]
            }
            guard let bytes = stringBytes(n) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[bytes]), as: UTF8.self)
        }

        /// Where the bytes of a raw or shared string with header `n` are, having read past it.
        /// A shared string's bytes must lie before the object: earlier objects' bytes, which
        /// never change.
        mutating func stringBytes(_ n: UInt64) -> Range<Int>? {
            let length = n >> 2
            if n & 2 == 0 {
                guard length <= UInt64(end - at) else { return nil }
                defer { at += Int(length) }
                return at..<(at + Int(length))
            }
            guard let offset = varint(), offset <= UInt64(start), length <= UInt64(start) - offset else { return nil }
            return Int(offset)..<Int(offset + length)
        }

        mutating func value(depth: Int) -> Value? {
            guard let tag = byte() else { return nil }
            switch tag {
            case Tag.null: return .null
            case Tag.false: return .bool(false)
            case Tag.true: return .bool(true)
            case Tag.int:
                guard let z = varint() else { return nil }
                return .int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1))
            case Tag.double:
                guard end - at >= 8 else { return nil }
                var bits: UInt64 = 0
                for i in 0..<8 { bits |= UInt64(buffer[at + i]) << (8 * UInt64(i)) }
                at += 8
                return .double(Double(bitPattern: bits))
            case Tag.string:
                return string().map { .string($0) }
            case Tag.uuid:
                return uuid().map { .string($0) }
            case Tag.array:
                guard depth < PackedObject.maxDepth, let n = count() else { return nil }
                var items: [Value] = []
                items.reserveCapacity(n)
                for _ in 0..<n {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .array(items)
            case Tag.object:
                guard depth < PackedObject.maxDepth, let n = count() else { return nil }
                var entries: [OrderedMap.Slot] = []
                entries.reserveCapacity(n)
                for _ in 0..<n {
                    guard let k = string(), let v = value(depth: depth + 1) else { return nil }
                    entries.append(OrderedMap.Slot(k, v))
                }
                return .object(OrderedMap(uniqueSlots: entries))
            default:
                return nil
            }
        }

        /// Whether the next value holds `desired` (`Value.isSubset(of:)`); nil for bad bytes. Maps
        /// and lists are walked with `isSubset`'s rules; anything else is decoded and handed to
        /// `isSubset` itself, so the two cannot disagree. A false answer may leave the value half read.
        mutating func holds(_ desired: Value, depth: Int) -> Bool? {
            guard at < end else { return nil }
            switch (desired, buffer[at]) {
            case (.object(let wanted), Tag.object):
                at += 1
                guard depth < PackedObject.maxDepth, let n = count() else { return nil }
                // Every wanted field that is not emptyish must be present (an emptyish one may be
                // absent); keys are unique, so counting the ones found is enough.
                var required = 0
                for (_, v) in wanted where !v.isEmptyish { required += 1 }
                var found = 0
                for _ in 0..<n {
                    guard let key = string() else { return nil }
                    guard let v = wanted[key] else {
                        guard skip(depth: depth + 1) else { return nil }
                        continue
                    }
                    guard let ok = holds(v, depth: depth + 1) else { return nil }
                    if !ok { return false }
                    if !v.isEmptyish { found += 1 }
                }
                return found == required
            case (.array(let wanted), Tag.array):
                at += 1
                guard depth < PackedObject.maxDepth, let n = count() else { return nil }
                guard n == wanted.count else { return false }
                for item in wanted {
                    guard let ok = holds(item, depth: depth + 1) else { return nil }
                    if !ok { return false }
                }
                return true
            default:
                return value(depth: depth).map { desired.isSubset(of: $0) }
            }
        }

        /// Steps over one value without building it.
        mutating func skip(depth: Int) -> Bool {
            guard let tag = byte() else { return false }
            switch tag {
            case Tag.null, Tag.false, Tag.true: return true
            case Tag.int: return varint() != nil
            case Tag.double:
                guard end - at >= 8 else { return false }
                at += 8
                return true
            case Tag.string: return skipString()
            case Tag.uuid:
                guard end - at >= 16 else { return false }
                at += 16
                return true
            case Tag.array:
                guard depth < PackedObject.maxDepth, let n = count() else { return false }
                for _ in 0..<n where !skip(depth: depth + 1) { return false }
                return true
            case Tag.object:
                guard depth < PackedObject.maxDepth, let n = count() else { return false }
                for _ in 0..<n where !(skipString() && skip(depth: depth + 1)) { return false }
                return true
            default:
                return false
            }
        }

        /// The 36 characters of a `Tag.uuid` value's 16 bytes.
        mutating func uuid() -> String? {
            guard end - at >= 16 else { return nil }
            let start = at
            at += 16
            return String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[o] = UInt8(ascii: "-")
                        o += 1
                    }
                    let b = buffer[start + i]
                    out[o] = PackedObject.hexDigits[Int(b >> 4)]
                    out[o + 1] = PackedObject.hexDigits[Int(b & 0x0F)]
                    o += 2
                }
                return o
            }
        }

        mutating func skipString() -> Bool {
            guard let n = varint() else { return false }
            if n & 1 == 1 { return n >> 1 < UInt64(CommonStrings.table.count) }
            return stringBytes(n) != nil
        }
    }
}

/// An object kept as its tree or packed: what `Snapshot` stores for each object, and how the
/// offline engine keeps versions it may need again (field managers' applies, recent writes)
/// without holding their trees.
public enum StoredObject: Sendable {
    case tree(KubeObject)
    case packed(PackedObject)

    /// Packed when `packed` and the tree is not too deep to pack.
    init(_ object: KubeObject, packed: Bool) {
        if packed, let p = PackedObject(object) {
            self = .packed(p)
        } else {
            self = .tree(object)
        }
    }

    /// The tree (decoded, when packed).
    public var object: KubeObject {
        switch self {
        case .tree(let o): return o
        case .packed(let p): return p.object
        }
    }

    /// The object's apiVersion, without decoding a packed object.
    var apiVersion: String {
        switch self {
        case .tree(let o): return o.apiVersion
        case .packed(let p): return p.rootString("apiVersion") ?? ""
        }
    }
}

/// Keys and values nearly every manifest repeats, stored as a one- or two-byte index instead of
/// their bytes. Decoding one returns the table's string, so long ones share storage instead of
/// each decoded copy allocating its own. Only this process reads the bytes: the table may change
/// freely between versions.
enum CommonStrings {
    static let table: [String] = [
        // Object structure
        "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "uid",
        "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "ownerReferences",
        "finalizers", "controller", "blockOwnerDeletion", "spec", "status", "data", "items",
        // Status
        "conditions", "type", "reason", "message", "lastTransitionTime", "observedGeneration", "phase",
        "True", "False", "Unknown", "Ready",
        // API versions and kinds
        "v1", "apps/v1", "rbac.authorization.k8s.io/v1", "toolhive.stacklok.dev/v1alpha1", "toolhive.stacklok.dev/v1beta1",
        "ConfigMap", "Secret", "Service", "ServiceAccount", "Deployment", "StatefulSet", "Role", "RoleBinding",
        "MCPServer", "MCPRemoteProxy", "MCPServerEntry", "MCPGroup", "MCPToolConfig", "MCPExternalAuthConfig",
        "VirtualMCPServer", "MCPRegistry",
        // ToolHive specs
        "image", "transport", "port", "proxyPort", "mcpPort", "targetPort", "groupRef", "toolConfigRef",
        "externalAuthConfigRef", "oidcConfigRef", "authzConfig", "config", "incomingAuth", "outgoingAuth",
        "aggregation", "conflictResolution", "conflictResolutionConfig", "prefixFormat", "toolsFilter",
        "toolsOverride", "description", "stdio", "sse", "streamable-http", "url", "remoteURL",
        // Pods and workloads
        "env", "value", "valueFrom", "secretKeyRef", "configMapKeyRef", "fieldRef", "fieldPath", "key",
        "args", "command", "resources", "limits", "requests", "cpu", "memory", "containers", "template",
        "selector", "matchLabels", "replicas", "ports", "containerPort", "protocol", "TCP", "volumes",
        "volumeMounts", "mountPath", "readOnly", "configMap", "serviceAccountName", "securityContext",
        "livenessProbe", "readinessProbe", "httpGet", "path", "periodSeconds", "timeoutSeconds",
        "failureThreshold", "initialDelaySeconds", "http", "sessionAffinity", "clusterIP",
        // RBAC
        "rules", "apiGroups", "verbs", "roleRef", "apiGroup", "subjects",
        // Labels
        "app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
        "app.kubernetes.io/managed-by", "toolhive", "toolhive-name", "toolhive-operator", "true", "false",
        // What the offline engine writes into nearly every object it converges (workload and pod
        // status, the proxy's pod security context, RBAC rules, annotations) and its clock's start
        "readyReplicas", "updatedReplicas", "availableReplicas", "currentReplicas", "currentRevision",
        "updateRevision", "containerStatuses", "restartCount", "startedAt", "started", "startTime",
        "running", "state", "ready", "Running", "PodScheduled", "Initialized", "ContainersReady",
        "Progressing", "Available", "NewReplicaSetAvailable", "MinimumReplicasAvailable",
        "pod-template-hash", "controller-revision-hash",
        "statefulset.kubernetes.io/pod-name", "serviceName", "clusterIPs", "ClusterIP", "ClientIP",
        "sessionAffinityConfig", "clientIP", "Pod", "apps", "seccompProfile", "RuntimeDefault", "runAsUser",
        "runAsNonRoot", "runAsGroup", "fsGroup", "privileged", "readOnlyRootFilesystem",
        "allowPrivilegeEscalation", "capabilities", "drop", "ALL", "terminationGracePeriodSeconds",
        "startupProbe", "get", "list", "watch", "create", "update", "patch", "delete", "configmaps",
        "secrets", "statefulsets", "services", "pods", "pods/log", "pods/attach",
        "rbac.authorization.k8s.io", "kubernetes", "HOME", "/tmp", "runconfig.json",
        Timestamp.simulationEpoch.rfc3339, MCPServer.finalizer, ConditionType.groupRefValidated,
        ProxyDeploymentBuilder.runConfigChecksumAnnotation, ProxyDeploymentBuilder.generationAnnotation,
        ProxyDeploymentBuilder.generationEnv, RunConfigBuilder.contentChecksumAnnotation,
    ]

    /// The table's position of `s`, if it is there. Every string of every loaded object is looked
    /// up: hashing each one was a tenth of `convert`, so candidates are found by length and first
    /// and last byte instead, and most strings are turned away by an empty bucket.
    static func index(of s: String) -> Int? {
        guard let slot = slot(s) else { return nil }
        for (candidate, i) in buckets[slot] where candidate == s { return i }
        return nil
    }

    private static let buckets: [[(String, Int)]] = {
        var out = [[(String, Int)]](repeating: [], count: 256)
        for (i, s) in table.enumerated() {
            if let slot = slot(s) { out[slot].append((s, i)) }
        }
        return out
    }()

    /// Strings longer than the table's longest (the annotation keys, 42 bytes) have no slot.
    private static func slot(_ s: String) -> Int? {
        let utf8 = s.utf8
        let n = utf8.count
        guard n > 0, n <= 48 else { return nil }
        // The bytes in place when the string has them contiguous (native strings do): `last` on
        // a UTF-8 view steps back through the string, a tenth of encoding's time.
        let ends = utf8.withContiguousStorageIfAvailable { ($0[0], $0[n - 1]) }
        guard let (first, last) = ends ?? utf8.first.flatMap({ f in utf8.last.map { (f, $0) } }) else { return nil }
        return (n &* 31 &+ Int(first) &* 7 &+ Int(last)) & 255
    }
}
