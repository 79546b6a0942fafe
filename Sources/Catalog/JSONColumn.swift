import Foundation

/// A value kept as JSON in one text column (journal entries, restore entries, instant copies):
/// keys sorted, dates in ISO 8601, so rows stay readable with `sqlite3`.
enum JSONColumn {
    static func encode(_ value: some Encodable, what: String) throws(CatalogError) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw CatalogError(.unreadableRow, what, reason: "\(error)")
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String, what: String) throws(CatalogError)
        -> Value
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw CatalogError(.unreadableRow, what, reason: "\(error)")
        }
    }
}
