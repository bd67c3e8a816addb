import ReconcileCore

/// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), for
/// the few kinds kubectl's typed clients send that way to the sandbox (`kubectl create namespace`,
/// `create configmap`, `create secret generic`, `create serviceaccount`). client-go never falls
/// back to JSON for protobuf request bodies, so the sandbox reads them: the `k8s\0` envelope
/// (`runtime.Unknown`: typeMeta, raw), then the object by a small field table per kind. Other
/// kinds are refused with 415 (`kubectl create -f` sends JSON and covers them).
enum ProtobufBody {
    static let mediaType = "application/vnd.kubernetes.protobuf"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The object as the JSON form of its kind, or a failure naming why not.
    static func decode(_ bytes: [UInt8]) throws(Failure) -> Value {
        let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]  // "k8s\0"
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw Failure(description: "protobuf body without the k8s envelope") }
        let envelope = try fields(bytes[4...])
        guard let typeMetaBytes = envelope.first(where: { $0.number == 1 })?.bytes else { throw Failure(description: "protobuf envelope without typeMeta") }
        let typeMeta = try fields(typeMetaBytes)
        let apiVersion = typeMeta.first { $0.number == 1 }?.bytes.map(string) ?? ""
        let kind = typeMeta.first { $0.number == 2 }?.bytes.map(string) ?? ""
        guard let schema = kinds[kind], apiVersion == "v1" else {
            throw Failure(description: "protobuf bodies are read only for v1 \(kinds.keys.sorted().joined(separator: ", ")), not \(apiVersion) \(kind); send JSON (kubectl create -f FILE)")
        }
        let raw = envelope.first { $0.number == 2 }?.bytes ?? []
        var out = OrderedMap()
        out["apiVersion"] = .string(apiVersion)
        out["kind"] = .string(kind)
        for (k, v) in try message(raw, schema).objectValue ?? OrderedMap() { out[k] = v }
        return .object(out)
    }

    // MARK: schemas

    indirect enum FieldType {
        case string, bytes, int64, bool
        case message(Schema)
        case stringMap, bytesMap
        case repeatedString
        case repeatedMessage(Schema)
        case skip
    }

    struct Schema {
        var fields: [Int: (name: String, type: FieldType)]
    }

    static let ownerReference = Schema(fields: [
        1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
        6: ("controller", .bool), 7: ("blockOwnerDeletion", .bool),
    ])
    /// Server-managed fields (uid, resourceVersion, timestamps, managedFields) are not read: the
    /// store sets them.
    static let objectMeta = Schema(fields: [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string),
        11: ("labels", .stringMap), 12: ("annotations", .stringMap),
        13: ("ownerReferences", .repeatedMessage(ownerReference)), 14: ("finalizers", .repeatedString),
    ])
    static let objectReference = Schema(fields: [
        1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string),
        5: ("apiVersion", .string), 6: ("resourceVersion", .string), 7: ("fieldPath", .string),
    ])
    static let kinds: [String: Schema] = [
        "Namespace": Schema(fields: [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message(Schema(fields: [1: ("finalizers", .repeatedString)]))),
        ]),
        "ConfigMap": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap), 3: ("binaryData", .bytesMap), 4: ("immutable", .bool),
        ]),
        "Secret": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .bytesMap), 3: ("type", .string),
            4: ("stringData", .stringMap), 5: ("immutable", .bool),
        ]),
        "ServiceAccount": Schema(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("secrets", .repeatedMessage(objectReference)),
            3: ("imagePullSecrets", .repeatedMessage(Schema(fields: [1: ("name", .string)]))),
            4: ("automountServiceAccountToken", .bool),
        ]),
    ]

    /// A message as JSON. Empty strings, false and empty collections are left out, as the JSON
    /// encoding omits them (protobuf writes every optional string, even empty).
    static func message(_ bytes: ArraySlice<UInt8>, _ schema: Schema) throws(Failure) -> Value {
        var out = OrderedMap()
        var maps: [String: OrderedMap] = [:]
        var lists: [String: [Value]] = [:]
        for f in try fields(bytes) {
            guard let (name, type) = schema.fields[f.number] else { continue }
            switch type {
            case .skip:
                continue
            case .string:
                if let b = f.bytes, !b.isEmpty { out[name] = .string(string(b)) }
            case .bytes:
                if let b = f.bytes, !b.isEmpty { out[name] = .string(Base64.encode(Array(b))) }
            case .int64:
                if let v = f.varint { out[name] = .int(Int64(bitPattern: v)) }
            case .bool:
                if let v = f.varint, v != 0 { out[name] = true }
            case .message(let s):
                guard let b = f.bytes else { throw Failure(description: "field \(name): expected a message") }
                out[name] = try message(b, s)
            case .repeatedString:
                guard let b = f.bytes else { throw Failure(description: "field \(name): expected a string") }
                lists[name, default: []].append(.string(string(b)))
            case .repeatedMessage(let s):
                guard let b = f.bytes else { throw Failure(description: "field \(name): expected a message") }
                lists[name, default: []].append(try message(b, s))
            case .stringMap, .bytesMap:
                guard let b = f.bytes else { throw Failure(description: "field \(name): expected a map entry") }
                let entry = try fields(b)
                let key = entry.first { $0.number == 1 }?.bytes.map(string) ?? ""
                let value = entry.first { $0.number == 2 }?.bytes ?? []
                if case .bytesMap = type {
                    maps[name, default: OrderedMap()][key] = .string(Base64.encode(Array(value)))
                } else {
                    maps[name, default: OrderedMap()][key] = .string(string(value))
                }
            }
        }
        for (name, list) in lists.sorted(by: { $0.key < $1.key }) { out[name] = .array(list) }
        for (name, map) in maps.sorted(by: { $0.key < $1.key }) { out[name] = .object(map) }
        return .object(out)
    }

    // MARK: wire format

    struct Field {
        var number: Int
        var varint: UInt64?
        var bytes: ArraySlice<UInt8>?
    }

    static func string(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    /// Splits a message into its fields (wire types 0, 1, 2, 5), bounds-checked.
    static func fields(_ bytes: ArraySlice<UInt8>) throws(Failure) -> [Field] {
        var out: [Field] = []
        var i = bytes.startIndex
        func varint() throws(Failure) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < bytes.endIndex, shift < 64 else { throw Failure(description: "truncated protobuf varint") }
                let b = bytes[i]
                i += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while i < bytes.endIndex {
            let tag = try varint()
            guard tag >> 3 > 0, tag >> 3 < 1 << 29 else { throw Failure(description: "bad protobuf field number") }
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                out.append(Field(number: number, varint: try varint()))
            case 1, 5:
                let n = tag & 7 == 1 ? 8 : 4
                guard bytes.endIndex - i >= n else { throw Failure(description: "truncated protobuf fixed field") }
                i += n
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.endIndex - i) else { throw Failure(description: "truncated protobuf field \(number)") }
                let end = i + Int(length)
                out.append(Field(number: number, bytes: bytes[i..<end]))
                i = end
            default:
                throw Failure(description: "unsupported protobuf wire type \(tag & 7)")
            }
        }
        return out
    }
}
