extension Value {
    /// SHA-256 (lowercase hex) of the tree's compact JSON with keys sorted at every level: the same
    /// content always gives the same hash, whatever order its keys were read in.
    public var canonicalSHA256: String {
        SHA256.hex(JSONWriter.write(self, pretty: false, sortKeys: true))
    }
}
