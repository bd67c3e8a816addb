import Testing
@testable import ReconcileCore

@Suite struct HashingTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func sha256IncrementalEqualsOneShot() {
        var s = SHA256()
        s.update("hello ")
        s.update(Array("world".utf8))
        #expect(Hex.encode(s.finalize()) == SHA256.hex("hello world"))
    }

    /// Pieces of every size from 1 to 130 bytes cross block boundaries at every offset, through
    /// the contiguous path (arrays, strings) and the copying one (a lazy sequence).
    @Test func sha256PiecesOfEverySizeGiveTheKnownDigest() {
        let expected = "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"  // 1,000 × "a"
        for size in 1...130 {
            var arrays = SHA256()
            var strings = SHA256()
            var lazy = SHA256()
            var left = 1000
            while left > 0 {
                let n = min(size, left)
                arrays.update([UInt8](repeating: 0x61, count: n))
                strings.update(String(repeating: "a", count: n))
                lazy.update((0..<n).lazy.map { _ in UInt8(0x61) })
                left -= n
            }
            #expect(Hex.encode(arrays.finalize()) == expected, "pieces of \(size)")
            #expect(Hex.encode(strings.finalize()) == expected, "pieces of \(size)")
            #expect(Hex.encode(lazy.finalize()) == expected, "pieces of \(size)")
        }
        // 55 and 56 bytes: the padding fits in the block, or needs one more.
        #expect(SHA256.hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(Hex.encode(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fnv1a() {
        #expect(FNV1a.hash32("") == 0x811c9dc5)
        #expect(FNV1a.hex32("a") == "e40c292c")
    }
}
