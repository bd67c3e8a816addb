import Testing
@testable import ReconcileCore

@Suite struct GoDurationTests {
    @Test func formatsLikeGo() {
        #expect(GoDuration.normalized("60s") == "1m0s")
        #expect(GoDuration.normalized("30s") == "30s")
        #expect(GoDuration.normalized("5m") == "5m0s")
        #expect(GoDuration.normalized("1.5h") == "1h30m0s")
        #expect(GoDuration.normalized("500ms") == "500ms")
        #expect(GoDuration.normalized("1m30.5s") == "1m30.5s")
        #expect(GoDuration.normalized("bogus") == "bogus")
        #expect(GoDuration.seconds("2m") == 120)
        #expect(GoDuration.parse("") == nil)
    }
}

@Suite struct Base64Tests {
    @Test func roundTrips() {
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
        #expect(Base64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbG8") == nil)
        #expect(Base64.decode("a$==") == nil)
        let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }
}
