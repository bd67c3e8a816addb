import Testing
@testable import ReconcileCore

/// `Quantity` against apimachinery's own tests (`pkg/api/resource/quantity_test.go`): the inputs of
/// its tables, and for each the text Go's `ParseQuantity` + `MarshalJSON` give (what the operator
/// sends and the API server stores), checked against the Go code.
@Suite struct QuantityTests {
    /// `TestQuantityParse`'s table, in its order: input, text written back, format.
    static let parseTable: [(String, String, Quantity.Format)] = [
        ("0", "0", .decimalSI),
        ("0n", "0", .decimalSI),
        ("0u", "0", .decimalSI),
        ("0m", "0", .decimalSI),
        ("0Ki", "0", .binarySI),
        ("0k", "0", .decimalSI),
        ("0Mi", "0", .binarySI),
        ("0M", "0", .decimalSI),
        ("0Gi", "0", .binarySI),
        ("0G", "0", .decimalSI),
        ("0Ti", "0", .binarySI),
        ("0T", "0", .decimalSI),
        ("1", "1", .decimalSI),
        ("1Ki", "1Ki", .binarySI),
        ("8Ki", "8Ki", .binarySI),
        ("7Mi", "7Mi", .binarySI),
        ("6Gi", "6Gi", .binarySI),
        ("5Ti", "5Ti", .binarySI),
        ("4Pi", "4Pi", .binarySI),
        ("3Ei", "3Ei", .binarySI),
        ("10Ti", "10Ti", .binarySI),
        ("100Ti", "100Ti", .binarySI),
        ("5n", "5n", .decimalSI),
        ("4u", "4u", .decimalSI),
        ("3m", "3m", .decimalSI),
        ("9", "9", .decimalSI),
        ("8k", "8k", .decimalSI),
        ("50k", "50k", .decimalSI),
        ("7M", "7M", .decimalSI),
        ("6G", "6G", .decimalSI),
        ("5T", "5T", .decimalSI),
        ("40T", "40T", .decimalSI),
        ("300T", "300T", .decimalSI),
        ("2P", "2P", .decimalSI),
        ("1E", "1E", .decimalSI),
        ("1E-3", "1E-3", .decimalExponent),
        ("1e3", "1e3", .decimalExponent),
        ("1E6", "1E6", .decimalExponent),
        ("1e9", "1e9", .decimalExponent),
        ("1E12", "1E12", .decimalExponent),
        ("1e15", "1e15", .decimalExponent),
        ("1E18", "1E18", .decimalExponent),
        ("1e14", "100e12", .decimalExponent),
        ("1e13", "10e12", .decimalExponent),
        ("100.035k", "100.035k", .decimalSI),
        ("0.001", "1m", .decimalSI),
        ("0.0005k", "500m", .decimalSI),
        ("0.005", "5m", .decimalSI),
        ("0.05", "50m", .decimalSI),
        ("0.5", "500m", .decimalSI),
        ("0.00050k", "500m", .decimalSI),
        ("0.00500", "5m", .decimalSI),
        ("0.05000", "50m", .decimalSI),
        ("0.50000", "500m", .decimalSI),
        ("0.5e0", "500e-3", .decimalExponent),
        ("0.5e-1", "50e-3", .decimalExponent),
        ("0.5e-2", "5e-3", .decimalExponent),
        ("10.035M", "10.035M", .decimalSI),
        ("1.2e3", "1200", .decimalExponent),
        ("1.3E+6", "1300e3", .decimalExponent),
        ("1.40e9", "1400e6", .decimalExponent),
        ("1.53E12", "1530e9", .decimalExponent),
        ("1.6e15", "1600e12", .decimalExponent),
        ("1.7E18", "1700e15", .decimalExponent),
        ("9.01", "9010m", .decimalSI),
        ("8.1k", "8100", .decimalSI),
        ("7.123456M", "7.123456M", .decimalSI),
        ("6.987654321G", "6.987654321G", .decimalSI),
        ("5.444T", "5.444T", .decimalSI),
        ("40.1T", "40100G", .decimalSI),
        ("300.2T", "300200G", .decimalSI),
        ("2.5P", "2500T", .decimalSI),
        ("1.01E", "1010P", .decimalSI),
        ("3.001n", "4n", .decimalSI),
        ("1.1E-9", "2e-9", .decimalExponent),
        ("0.0000000001", "1n", .decimalSI),
        ("0.0000000005", "1n", .decimalSI),
        ("0.00000000050", "1n", .decimalSI),
        ("0.5e-9", "1e-9", .decimalExponent),
        ("0.9n", "1n", .decimalSI),
        ("0.00000012345", "124n", .decimalSI),
        ("0.00000012354", "124n", .decimalSI),
        ("9Ei", "9223372036854775807", .binarySI),
        ("9223372036854775807Ki", "9223372036854775807", .binarySI),
        ("12E", "12E", .decimalSI),
        ("100.035Ki", "102435840m", .binarySI),
        ("0.5Mi", "512Ki", .binarySI),
        ("0.05Gi", "53687091200m", .binarySI),
        ("0.025Ti", "27487790694400m", .binarySI),
        ("0.000000000001Ki", "2n", .decimalSI),
        (".001", "1m", .decimalSI),
        (".0001k", "100m", .decimalSI),
        ("1.", "1.", .decimalSI),
        ("1.G", "1.G", .decimalSI),
    ]

    @Test(arguments: 0..<parseTable.count)
    func goParseTable(_ i: Int) throws {
        let (input, expected, format) = Self.parseTable[i]
        let q = try Quantity(input)
        #expect(q.description == expected, "\(input)")
        #expect(q.format == format, "\(input)")
        // The negative of everything: the same text with a minus (zero stays "0"), same format.
        let negative = try Quantity("-" + input)
        #expect(negative.description == (expected == "0" ? "0" : "-" + expected), "-\(input)")
        #expect(negative.format == format, "-\(input)")
    }

    /// `TestQuantityParseEmit`, positive and negative.
    @Test func parseEmit() throws {
        let table = [
            ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"), (".001Ki", "1024m"),
            (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
        ]
        for (input, expected) in table {
            #expect(try Quantity(input).description == expected, "\(input)")
            #expect(try Quantity("-" + input).description == "-" + expected, "-\(input)")
        }
    }

    /// `TestQuantityString`: each canonical text parses to itself, each alternate spelling to it.
    @Test func canonicalAndAlternates() throws {
        let canonical = [
            "1Gi", "300Mi", "6Ki", "1001Gi", "1Ti", "5", "500m", "1G", "1m", "80m", "1080m", "300M", "1T", "1234567M",
            "1234567m", "3k", "1025", "0", "1e9", "1e-3", "1e-9", "80e-3", "300e6", "1e12", "1e3", "3e3", "1n", "80n",
            "1080n", "1u", "80u", "1080u",
        ]
        for text in canonical { #expect(try Quantity(text).description == text) }
        let alternates = [
            ("1024Mi", "1Gi"), ("307200Ki", "300Mi"), ("1025024Mi", "1001Gi"), ("1024Gi", "1Ti"), ("5000m", "5"), ("0.5", "500m"),
            ("1000M", "1G"), ("0.001T", "1G"), ("1000u", "1m"), ("1.08", "1080m"), ("1080000000n", "1080m"), (".001e12", "1e9"),
            ("0.001e0", "1e-3"), ("1000e-12", "1e-9"), ("00", "0"),
        ]
        for (input, expected) in alternates { #expect(try Quantity(input).description == expected, "\(input)") }
    }

    /// The values users write for cpu, memory and storage, and the spellings Go keeps as written
    /// because its fast path takes them for canonical.
    @Test func everydayValuesAndGoQuirks() throws {
        let table: [(String, String)] = [
            ("0.5", "500m"), ("1000m", "1"), ("4000m", "4"), ("100m", "100m"), ("250m", "250m"), ("0.25", "250m"), ("0.1", "100m"),
            ("1.5", "1500m"), ("3.5", "3500m"), ("2", "2"), ("1000", "1k"), ("1000000", "1M"), ("1024", "1024"),
            ("1073741824", "1073741824"), ("128Mi", "128Mi"), ("64Mi", "64Mi"), ("256Mi", "256Mi"), ("500Mi", "500Mi"),
            ("1024Mi", "1Gi"), ("2048Mi", "2Gi"), ("1024Ki", "1Mi"), ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"), ("12.5Mi", "12800Ki"),
            ("0.5Ki", "512"), ("1.5Ki", "1536"), ("1.5Ei", "1536Pi"), ("8Gi", "8Gi"), ("10Gi", "10Gi"), ("1n", "1n"),
            ("0.0000000001", "1n"), ("0.1m", "100u"), ("1e3", "1e3"), ("1E6", "1E6"), ("12e-1", "1200e-3"),
            // Kept as written by Go's fast path, though not canonical.
            ("1.500", "1.500"), ("+1", "+1"), ("01", "01"), ("+1Ki", "+1Ki"), ("1.G", "1.G"),
            // Capped at 2^63-1 (binary); past E a decimal-SI value loses its suffix (Go's defect).
            ("16Ei", "9223372036854775807"), ("1000E", "1"),
            // Zero however spelled, and no digits at all where Go's fast path still reads 0.
            ("-0", "0"), ("0.0", "0"), ("-", "0"), ("Ki", "0"), ("m", "0"),
            // More digits than 64 bits hold: exact.
            ("123456789012345678901234567890", "123456789012345678901234567890"), ("1.0000000001", "1000000001n"),
        ]
        for (input, expected) in table {
            let q = try Quantity(input)
            #expect(q.description == expected, "\(input)")
            // What the API server stores reads back the same: a second pass changes nothing.
            #expect(try Quantity(q.description).description == expected, "\(input) twice")
        }
    }

    /// Hostile lengths (200,000 digits) parse exactly and in linear time: decimal values are
    /// worked on as text, and a binary value's arithmetic is bounded (expected values from Go).
    @Test func longInputsStayExactAndCheap() throws {
        let sevens = String(repeating: "7", count: 200_000)
        #expect(try Quantity(sevens).description == sevens)
        #expect(try Quantity(String(repeating: "1", count: 200_000) + "Ki").description == "9223372036854775807")
        #expect(try Quantity("0." + String(repeating: "0", count: 200_000) + "1").description == "1n")
        #expect(try Quantity("0." + String(repeating: "0", count: 200_000) + "1Ei").description == "1n")
        #expect(try Quantity("1." + String(repeating: "3", count: 200_000) + "Mi").description == "1398101333333334n")
    }

    /// `TestQuantityParse`'s invalid inputs and a few more, with Go's error for each.
    @Test func invalidInputs() {
        let table: [(String, QuantityError)] = [
            ("1.1.M", .formatWrong), ("1+1.0M", .formatWrong), ("0.1mi", .suffix), ("0.1am", .formatWrong), ("aoeu", .formatWrong),
            (".5i", .suffix), ("1i", .suffix), ("-3.01i", .suffix), ("-3.01e-", .suffix), (" 1", .formatWrong), ("1 ", .formatWrong),
            ("", .formatWrong), ("1e", .suffix), ("1K", .suffix), ("1Ki3", .suffix), ("e", .suffix), ("Pi", .numeric), (".e-12", .numeric),
        ]
        for (input, expected) in table {
            #expect(throws: expected, "\(input)") { try Quantity(input) }
            #expect(Quantity.canonical(input) == nil)
        }
        #expect(QuantityError.formatWrong.description == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        #expect(QuantityError.suffix.description == "unable to parse quantity's suffix")
    }

    /// `UnmarshalJSON`: whitespace trimmed, numbers through their text, null as zero, other
    /// JSON kinds refused.
    @Test func fromJSONValues() throws {
        #expect(try Quantity(json: " 1 ").description == "1")
        #expect(try Quantity(json: "1024Mi").description == "1Gi")
        #expect(try Quantity(json: .int(2)).description == "2")
        #expect(try Quantity(json: .int(1000)).description == "1k")
        #expect(try Quantity(json: .double(0.5)).description == "500m")
        #expect(try Quantity(json: .double(2)).description == "2")
        #expect(try Quantity(json: .null).description == "0")
        #expect(throws: QuantityError.formatWrong) { try Quantity(json: .bool(true)) }
        #expect(throws: QuantityError.formatWrong) { try Quantity(json: ["cpu": "1"]) }
    }
}
