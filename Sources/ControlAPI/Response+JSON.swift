import APIModel
import Hummingbird

extension Response {
    /// A response whose body is `value` encoded with the API's JSON dialect, followed by a newline.
    static func json(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        var data = try APIJSON.encoder().encode(value)
        data.append(UInt8(ascii: "\n"))
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Metrics in Prometheus' text exposition format.
    static func prometheus(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The API's error answer: `{"error": {"code": ..., "message": ...}}`.
    static func apiError(_ failure: ControlAPIFailure) -> Response {
        // Encoding two strings cannot fail; should it anyway, the status alone still tells.
        (try? json(APIErrorBody(error: failure.info), status: failure.status, headers: failure.headers))
            ?? Response(status: failure.status, headers: failure.headers)
    }
}
