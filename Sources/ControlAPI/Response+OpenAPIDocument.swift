import Hummingbird

extension Response {
    /// `GET /v1/openapi.json`: the API's OpenAPI document, made from docs/openapi.yaml.
    static var openAPIDocument: Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json + "\n")))
    }
}
