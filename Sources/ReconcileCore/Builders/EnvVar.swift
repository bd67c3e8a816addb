/// Container env entries, in the shape the API server prints them.
public enum EnvVar {
    public static func plain(_ name: String, _ value: String) -> Value { ["name": .string(name), "value": .string(value)] }
    public static func secret(_ name: String, secret: String, key: String) -> Value {
        ["name": .string(name), "valueFrom": ["secretKeyRef": ["name": .string(secret), "key": .string(key)]]]
    }
}
