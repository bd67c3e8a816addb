import Foundation
import Testing
@testable import ReconcileCore

/// The RE2 engine behind `SchemaPattern`: every schema pattern compiles, agrees with
/// NSRegularExpression wherever RE2 and ICU mean the same thing, and follows RE2 where they don't.
@Suite struct PatternRegexTests {
    /// Every `pattern` of every kind's schema, plus the validator's own date-time pattern.
    static let schemaPatterns: [String] = {
        var patterns: Set<String> = [SchemaValidator.dateTime.source]
        for kind in SchemaRegistry.all {
            kind.root.walk { _, node in
                if let p = node.pattern { patterns.insert(p.source) }
            }
        }
        return patterns.sorted()
    }()

    /// Strings that land on either side of the schema patterns, plus the characters where ICU and
    /// RE2 disagree (Unicode digits, letters and spaces, line terminators other than `\n`).
    static let corpus: [String] = [
        "", " ", "\n", "?", "#", "@", "*", "a", "A", "abc", "Bad", "9x", "_x", "a_b", "a.b", "a,b:c",
        "my-server", "-bad", "bad-", "a--b", String(repeating: "x", count: 63), "a/b/c",
        "Ready", "Ready_2", "2Ready", "Ready_", "MyCondition", "example.com/my-condition",
        "toolhive.stacklok.dev/Ready", "Example.com/x", "a./b",
        "1h30m", "1.5µs", "1.5μs", "1.5us", "10s", "300ms", "2.5h30m", "1h", "h", "1.h", "1m1", "1.5", "5ns",
        "0.5", ".5", "5.", "1.2.3", "12",
        "https://example.com", "http://example.com/", "https://example.com/path", "https://ex ample.com",
        "https://example.com?x=1", "https://example.com#f", "https://user@example.com", "https://",
        "https://a", "https://a/", "ftp://x", "HTTPS://X", "http:/x", "https://a\nb", "https://a\tb",
        "https://a\u{00A0}b", "https://a\u{2003}b", "https://a\u{0B}b", "https://a\rb", "https://a\u{85}b",
        "https://a\u{2028}b", "https://example.com\n", "https://example.com\r\n", "https://ünïcödé.example/ö",
        "arn:aws:iam::123456789012:role/my-role", "arn:aws-cn:iam::123456789012:role/path/r+=,.@-_",
        "arn:aws:iam::12345678901:role/x", "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x",
        "arn:aws:iam::123456789012:role/rôle", "arn:gcp:iam::123456789012:role/x",
        "us-east-1", "eu-west-12", "us-east", "US-EAST-1", "cn-north-1", "us-gov-west-1",
        "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "not-a-uuid",
        "login.microsoftonline.com", "contoso.onmicrosoft.com", "a-.com", "example.c", "xn--bcher-kva.example",
        "access_token", "id_token", "jwt", "urn:ietf:params:oauth:token-type:jwt",
        "urn:ietf:params:oauth:token-type:saml2", "openid", "openid profile", "read:all", "a\"b", "a\\b",
        "system:serviceaccount:ns:sa", "user*", "sub",
        "2024-01-02T03:04:05Z", "2024-01-02 03:04:05.123+01:00", "2024-01-02T03:04:05", "2024-1-2T03:04:05Z",
        "2024-01-02t03:04:05z", "٢٠٢٤-01-02T03:04:05Z",
        "Bearer abc", "x\u{7F}", "tab\there", "line\nbreak", "cr\rreturn", "line\n", "a\r\nb",
        "日本語", "emoji 😀", "😀", "e\u{301}", "é", "a\u{0}b",
    ]

    /// Where RE2 (the API server) and ICU (NSRegularExpression) give different answers on the
    /// corpus, RE2's answer, written by hand (and checked once against Go's `regexp`). Keyed by
    /// pattern, then text.
    static let re2Differences: [String: [String: Bool]] = {
        var table: [String: [String: Bool]] = [:]
        func re2Says(_ patterns: [String], _ texts: [String], _ re2: Bool) {
            for p in patterns { for t in texts { table[p, default: [:]][t] = re2 } }
        }
        let httpsDot = [#"^https?://.*$"#, #"^https://.*$"#]
        let httpsSpace = [#"^https?://[^\s?#]+[^/\s?#]$"#, #"^https://[^\s?#]+[^/\s?#]$"#, #"^https://[^\s?#]+$"#,
                          #"^https://[^\s?#@]+[^/\s?#@]$"#]
        let httpsPosixSpace = #"^https?://[^[:space:]]+$"#
        // ICU's `$` also matches before a final line terminator; RE2's only at the very end.
        re2Says(httpsDot + httpsSpace + [httpsPosixSpace], ["https://example.com\n", "https://example.com\r\n"], false)
        re2Says([#"^[\x21\x23-\x5B\x5D-\x7E]+$"#], ["https://example.com\n", "https://example.com\r\n", "line\n"], false)
        re2Says([#"^[^\x00-\x08\x0A-\x1F\x7F]*$"#], ["\n", "https://example.com\n", "https://example.com\r\n", "line\n"], false)
        re2Says([#"^([a-zA-Z_][a-zA-Z0-9_]*)?$"#], ["\n", "line\n"], false)
        re2Says([#"^(access_token|id_token|jwt|urn:ietf:params:oauth:token-type:(access_token|id_token|jwt))?$"#], ["\n"], false)
        re2Says([#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#, #"^[A-Za-z_][A-Za-z0-9_]*$"#,
                #"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"#,
                #"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"#],
               ["line\n"], false)
        // ICU's `.` stops at every line terminator (\v \r U+0085 U+2028); RE2's only at \n.
        re2Says(httpsDot, ["https://a\u{0B}b", "https://a\rb", "https://a\u{85}b", "https://a\u{2028}b"], true)
        // RE2's `\s` is [\t\n\f\r ] and `[[:space:]]` is [\t\n\v\f\r ]: no Unicode spaces.
        re2Says(httpsSpace, ["https://a\u{00A0}b", "https://a\u{2003}b", "https://a\u{0B}b", "https://a\u{85}b",
                            "https://a\u{2028}b"], true)
        re2Says([httpsPosixSpace], ["https://a\u{00A0}b", "https://a\u{2003}b", "https://a\u{85}b", "https://a\u{2028}b"], true)
        // RE2's `\d` and `\w` are ASCII: Arabic-Indic digits and ô are not matched.
        re2Says([#"^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role/[\w+=,.@\-_/]+$"#],
               ["arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x", "arn:aws:iam::123456789012:role/rôle"], false)
        return table
    }()

    @Test func everySchemaPatternCompiles() throws {
        #expect(Self.schemaPatterns.count > 20)
        for pattern in Self.schemaPatterns {
            #expect(throws: Never.self, "\(pattern)") { try PatternRegex(pattern) }
        }
    }

    @Test func schemaPatternsAgreeWithICUExceptWhereRE2Differs() throws {
        var differences = 0
        for pattern in Self.schemaPatterns {
            let ours = try PatternRegex(pattern)
            let icu = try NSRegularExpression(pattern: pattern)
            for text in Self.corpus {
                let icuMatches = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                let re2 = Self.re2Differences[pattern]?[text]
                if let re2 {
                    // Each hand-written entry must be a real difference, and RE2's side must win.
                    #expect(icuMatches != re2, "not a difference: \(pattern) on \(text.debugDescription)")
                    #expect(ours.matches(text) == re2, "\(pattern) on \(text.debugDescription)")
                    differences += 1
                } else {
                    #expect(ours.matches(text) == icuMatches, "\(pattern) on \(text.debugDescription)")
                }
            }
        }
        // Every hand-written entry is still a pattern/text pair of the corpus.
        #expect(differences == Self.re2Differences.values.map(\.count).reduce(0, +))
    }

    /// Each construct, with answers checked against Go's `regexp.MatchString`.
    static let constructCases: [(pattern: String, text: String, matches: Bool)] = [
        // Unanchored search, alternation precedence.
        ("ab|cd", "xcdx", true), ("ab|cd", "ac", false), ("^ab|cd$", "abx", true), ("^ab|cd$", "xcd", true),
        ("^ab|cd$", "xab", false), ("^(a|b)+$", "abba", true), ("^(a|b)+$", "abc", false), ("^(a|b)+$", "", false),
        ("^(?:ab)*$", "abab", true), ("^(?:ab)*$", "aba", false), ("^ab*$", "abbb", true), ("^ab*$", "abab", false),
        ("^ab?c$", "ac", true), ("^ab?c$", "abbc", false), ("^a+$", "", false),
        // Counted repeats; a brace that is no repeat is a literal.
        ("^a{3}$", "aaa", true), ("^a{3}$", "aa", false), ("^a{3}$", "aaaa", false), ("^a{2,}$", "aaaaa", true),
        ("^a{2,}$", "a", false), ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false), ("^a{0}$", "", true),
        ("^a{0}b$", "b", true), ("^(ab){2}$", "abab", true), ("^(ab){2}$", "ab", false), ("a{,2}", "a{,2}", true),
        ("a{,2}", "aa", false), ("^a{01}$", "a{01}", true), ("x{", "x{", true), ("^[0-9]{4}-", "2024-01", true),
        ("^(a?){3}a{3}$", "aaa", true), ("^a{2}?$", "aa", true),
        // Classes.
        ("^[^a-c]$", "d", true), ("^[^a-c]$", "b", false), ("^[^a-c]$", "\n", true), ("^[]a]$", "]", true),
        ("^[^]a]$", "]", false), ("^[^]a]$", "b", true), ("^[a-]$", "-", true), ("^[-a]$", "-", true),
        ("^[\\-_]+$", "-_", true), ("^[a-c-e]+$", "a-e", true), ("^[a-c-e]+$", "d", false),
        ("^[\\x41-\\x43]+$", "ABC", true), ("^[\\x41-\\x43]+$", "ABD", false),
        ("^[[:alpha:]]+$", "abcXYZ", true), ("^[[:alpha:]]+$", "é", false), ("^[[:^digit:]]+$", "abc", true),
        ("^[[:^digit:]]+$", "a1", false), ("^[[:space:]]$", "\u{0B}", true), ("^[[:punct:]]+$", "!/:@[`{~", true),
        ("^[[:xdigit:]]+$", "09afAF", true), ("^[[:xdigit:]]+$", "g", false), ("^[[:foo]$", ":", true),
        ("^[\\d\\s]+$", "1 2\t3", true), ("^[^\\d]$", "x", true), ("^[\\D]$", "5", false), ("^[^\\S]$", " ", true),
        ("^[à-ÿ]+$", "éü", true), ("^[à-ÿ]+$", "e", false),
        // Escapes.
        ("^\\.$", ".", true), ("^\\.$", "x", false), ("^a\\/b$", "a/b", true), ("^\\\\$", "\\", true),
        ("^\\x41$", "A", true), ("^\\x{263a}$", "☺", true), ("^\\101$", "A", true), ("^\\0$", "\u{0}", true),
        ("^\\t\\n\\r\\f\\v\\a$", "\t\n\r\u{0C}\u{0B}\u{07}", true), ("^\\Qa.b\\E$", "a.b", true),
        ("^\\Qa.b\\E$", "axb", false), ("^\\Qa.b", "a.b", true), ("^\\_$", "_", true),
        ("^\\d+$", "٢٣", false), ("^\\d+$", "23", true), ("^\\w+$", "é", false), ("^\\w+$", "a_1", true),
        ("^\\s$", "\u{0B}", false), ("^\\s$", "\u{0C}", true), ("^\\S+$", "\u{00A0}", true), ("^\\W$", "é", true),
        ("\\bfoo\\b", "a foo b", true), ("\\bfoo\\b", "afoob", false), ("\\Bo\\B", "fo", false), ("\\Bo\\B", "fooo", true),
        ("\\bé", "é", false), ("^\\pL+$", "héllo", true), ("^\\pL+$", "h3", false), ("^\\p{Lu}$", "É", true),
        ("^\\p{Lu}$", "é", false), ("^\\PL$", "1", true), ("^\\p{^L}$", "a", false), ("^\\pN+$", "٢3", true),
        ("^[\\p{Lu}\\d]+$", "É1", true), ("^\\p{Any}$", "\n", true), ("^\\AA\\z$", "A", true),
        // Anchors in the middle of a pattern.
        ("a^b", "a^b", false), ("a^b", "ab", false), ("a$b", "ab", false), ("(^a|b)c", "bc", true),
        ("(^a|b)c", "xac", false), ("(^a|b)c", "ac", true), ("a$|b", "xa", true), ("a$|b", "ax", false),
        ("^$", "", true), ("^$", "\n", false), ("$", "", true), ("^", "abc", true), ("^abc$", "abc\n", false),
        ("^*a", "a", true), ("x*", "", true),
        // Dot: any scalar but \n.
        ("^.$", "\n", false), ("^.$", "µ", true), ("^.$", "😀", true), ("^..$", "😀", false), ("^.$", "\r", true),
        ("^.$", "e\u{301}", false), ("^..$", "e\u{301}", true), ("(?s)^.$", "\n", true),
        // Flags.
        ("(?i)^abc$", "ABC", true), ("^(?i:a)b$", "Ab", true), ("^(?i:a)b$", "AB", false), ("(?i)^[a-c]+$", "ABC", true),
        ("(?i)^[^a]$", "A", false), ("(?i)^\\x{3b1}$", "Α", true), ("(?i)^é$", "É", true),
        ("(?m)^b$", "a\nb\nc", true), ("^b$", "a\nb\nc", false), ("(?m)a$", "a\n", true), ("(?U)^a+$", "aaa", true),
        ("(?i)a(?-i)b", "Ab", true), ("(?i)a(?-i)b", "AB", false), ("(a(?i)b)c", "aBc", true), ("(a(?i)b)c", "aBC", false),
        ("(?i)^k$", "\u{212A}", true), ("(?i)^\u{212A}$", "k", true), ("(?i)^s$", "ſ", true), ("(?i)^ſ$", "S", true),
        ("(?i)^µ$", "μ", true), ("(?i)^µ$", "Μ", true), ("(?i)^[a-z]+$", "ſ\u{212A}", true), ("(?i)^[^k]$", "\u{212A}", false),
        ("(?i)^σ$", "ς", true), ("(?i)^ß$", "ẞ", true), ("(?i)^ǆ$", "ǅ", true), ("(?i)^Ω$", "\u{2126}", true),
        ("(?i)^\\w$", "ſ", true), ("(?i)^\\W$", "ſ", false), ("(?i)^\\p{Lu}$", "a", true), ("(?i)^[[:upper:]]$", "a", true),
        ("(?i)^[k-k]$", "K", true), ("(?i)^[\u{100}-\u{17F}]+$", "āĀſS", true), ("(?i)^1$", "1", true),
        ("(?)a", "a", true), ("^(?P<first>a)(?P<second>b)$", "ab", true),
        // Empty pieces.
        ("", "", true), ("", "abc", true), ("a|", "b", true), ("()", "x", true), ("(?:)", "", true),
        ("(a*)*$", "b", true), ("^(a*)+$", "aaa", true), ("^(a*)*b$", "aab", true), ("^(|a)+$", "aa", true),
        // Literal non-ASCII, as in the duration pattern.
        ("^µ$", "µ", true), ("^µ$", "μ", false), ("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "1.5µs", true),
        ("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "1h30m", true),
        ("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "1.5", false),
        ("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "1μs", false),
    ]

    @Test func eachConstructMatchesLikeGo() throws {
        for c in Self.constructCases {
            let regex = try PatternRegex(c.pattern)
            #expect(regex.matches(c.text) == c.matches, "\(c.pattern) on \(c.text.debugDescription)")
        }
    }

    /// Patterns Go's `regexp.Compile` rejects, with the error code it gives.
    static let invalidCases: [(pattern: String, code: PatternRegexError.Code)] = [
        ("(", .missingParen), ("(a", .missingParen), ("a(b|c", .missingParen), (")", .unexpectedParen),
        ("a)", .unexpectedParen), ("[a-", .missingBracket), ("[a", .missingBracket), ("[", .missingBracket),
        ("[]", .missingBracket), ("[z-a]", .invalidCharRange), ("a{2,1}", .invalidRepeatSize),
        ("a{1001}", .invalidRepeatSize), ("a{1000,1001}", .invalidRepeatSize), ("a{99999999999}", .invalidRepeatSize),
        ("(a{10}){200}", .invalidRepeatSize), ("((a{10}){10}){11}", .invalidRepeatSize),
        ("*a", .missingRepeatArgument), ("+", .missingRepeatArgument), ("?", .missingRepeatArgument),
        ("|*", .missingRepeatArgument), ("(*)", .missingRepeatArgument), ("{2}", .missingRepeatArgument),
        ("a**", .invalidRepeatOperator), ("a*+", .invalidRepeatOperator), ("a{2}*", .invalidRepeatOperator),
        ("a*?*", .invalidRepeatOperator), ("\\", .trailingBackslash), ("a\\", .trailingBackslash),
        ("\\8", .invalidEscape), ("\\1", .invalidEscape), ("\\q", .invalidEscape), ("\\C", .invalidEscape),
        ("\\xZZ", .invalidEscape), ("\\x{}", .invalidEscape), ("\\x{110000}", .invalidEscape), ("\\x4", .invalidEscape),
        ("[\\b]", .invalidEscape), ("[[:foo:]]", .invalidCharRange), ("\\p{Foo}", .invalidCharRange),
        ("\\p{L", .invalidCharRange), ("(?P<>a)", .invalidNamedCapture),
        ("(?P<n", .invalidNamedCapture), ("(?P<a-b>x)", .invalidNamedCapture), ("(?z)", .invalidPerlOperator),
        ("(?-)", .invalidPerlOperator), ("(?i-)", .invalidPerlOperator), ("(?P=n)", .invalidPerlOperator),
        ("(?=a)", .invalidPerlOperator), ("(?i", .invalidPerlOperator),
    ]

    @Test func invalidPatternsAreTypedErrors() {
        for c in Self.invalidCases {
            #expect(throws: PatternRegexError.self, "\(c.pattern)") { try PatternRegex(c.pattern) }
            do {
                _ = try PatternRegex(c.pattern)
            } catch {
                #expect(error.code == c.code, "\(c.pattern): \(error)")
            }
            #expect(!SchemaPattern(c.pattern).isValid)
            #expect(SchemaPattern(c.pattern).error?.code == c.code)
            // An invalid schema pattern accepts everything rather than rejecting everything.
            #expect(SchemaPattern(c.pattern).matches("anything"))
        }
    }

    @Test func errorsReadLikeGo() {
        #expect(throws: PatternRegexError(.invalidRepeatOperator, "**")) { try PatternRegex("a**") }
        #expect(throws: PatternRegexError(.missingRepeatArgument, "*")) { try PatternRegex("*a") }
        #expect(throws: PatternRegexError(.invalidCharRange, "z-a")) { try PatternRegex("[z-a]") }
        #expect(PatternRegexError(.missingParen, "(").description == "error parsing regexp: missing closing ): `(`")
    }

    /// Valid in Go although they look odd; each must compile. (`(?<name>` needs Go 1.22, which
    /// current API servers are built with.)
    @Test func oddButValidPatternsCompile() {
        for p in ["^*", "a{,2}", "x{", "(?)", "\\_", "[a-b-c]", "a{1000}", "(a{2}){500}", "((a{10}){10}){10}",
                  "[]a]", "[^]a]", "(?i)(?-i)a", "(?i:a)*", "\\Q*\\E", "(?<name>a)", "(?P<n>a)(?P<n>b)", "[[:^alpha:][:digit:]]", "\\pL"] {
            #expect(throws: Never.self, "\(p)") { try PatternRegex(p) }
        }
    }

    @Test func sizeAndNestingAreCapped() throws {
        // 200 × 1000 copies: far over the instruction cap, rejected instead of allocated.
        let huge = String(repeating: "[a-z]{1000}", count: 200)
        #expect(throws: PatternRegexError.self) { try PatternRegex(huge) }
        let deep = String(repeating: "(", count: 1000) + "a" + String(repeating: ")", count: 1000)
        #expect(try PatternRegex(deep).matches("a"))
        let tooDeep = String(repeating: "(", count: 1001) + "a" + String(repeating: ")", count: 1001)
        #expect(throws: PatternRegexError(.nestingTooDeep, tooDeep)) { try PatternRegex(tooDeep) }
    }

    @Test func pathologicalPatternsStayLinear() throws {
        let a10k = String(repeating: "a", count: 10_000)
        #expect(try PatternRegex("(a*)*b").matches(a10k) == false)
        #expect(try PatternRegex("(a*)*b").matches(a10k + "b"))
        #expect(try PatternRegex("^(a|a)*$").matches(a10k))
        #expect(try PatternRegex("^(a|a)*$").matches(a10k + "!") == false)
        #expect(try PatternRegex("(x+x+)+y").matches(String(repeating: "x", count: 5_000)) == false)
        #expect(try PatternRegex("^(a?){30}a{30}$").matches(String(repeating: "a", count: 30)))
    }

    /// The API server rejects a condition reason with a trailing newline (RE2's `$`); ICU's `$`
    /// let it through before.
    @Test func validatorRejectsATrailingNewlineLikeTheAPIServer() {
        let reason = #"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"#
        let schema: SchemaNode = .object(["reason": .string.pattern(reason)])
        var problems: [ValidationProblem] = []
        let key = ObjectKey(Kinds.mcpServer, namespace: "default", name: "x")
        SchemaValidator.validate(["reason": "Ready\n"], against: schema, at: ["status"], object: key, into: &problems)
        #expect(problems.map(\.message) == [#"Invalid value: "Ready\n": status.reason in body should match '"# + reason + "'"])
        problems = []
        SchemaValidator.validate(["reason": "Ready"], against: schema, at: ["status"], object: key, into: &problems)
        #expect(problems.isEmpty)
    }

    @Test func schemaPatternKeepsItsAPI() {
        let p = SchemaPattern(#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#)
        #expect(p.isValid)
        #expect(p.source == #"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#)
        #expect(p.matches("my-server"))
        #expect(!p.matches("My-Server"))
        #expect(!p.matches("my-server\n"))
    }
}
