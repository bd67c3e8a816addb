import Foundation
@testable import KubeAdapter

/// A scripted transport: records every request and answers with the handler's response.
final class FakeTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [APIRequest] = []
    private let handler: @Sendable (APIRequest) -> APIResponse

    init(_ handler: @escaping @Sendable (APIRequest) -> APIResponse) { self.handler = handler }

    var requests: [APIRequest] { lock.withLock { recorded } }

    func send(_ request: APIRequest) async throws(TransportError) -> APIResponse {
        lock.withLock { recorded.append(request) }
        return handler(request)
    }

    func stream(_ request: APIRequest) async throws(TransportError) -> APIStream {
        let r = try await send(request)
        return APIStream(status: r.status, body: AsyncThrowingStream { c in
            c.yield(r.body)
            c.finish()
        })
    }

    static func json(_ status: Int, _ text: String) -> APIResponse { APIResponse(status: status, body: Array(text.utf8)) }
}
