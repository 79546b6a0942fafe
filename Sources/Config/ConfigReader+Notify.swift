import Foundation
import TOMLKit

extension ConfigReader {
    /// `notify_webhook`: an absolute `http://` or `https://` URL with a host.
    mutating func webhook(_ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection) -> String? {
        guard let text = string(value, key, section) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, !text.contains(where: \.isWhitespace)
        else {
            issue(
                "'\(key)' must be an http:// or https:// URL, not \(Self.quoted(text))", key: key, in: section)
            return nil
        }
        return text
    }

    /// `notify_mail`: one address or a list of them, each `local@domain` with nothing that could
    /// end a mail header (spaces, commas, angle brackets, quotes, newlines).
    mutating func mailAddresses(_ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection) -> [String]? {
        let texts: [String]
        if let one = value.string {
            texts = [one]
        } else if let array = value.array, case let strings = array.compactMap(\.string), strings.count == array.count,
            !strings.isEmpty
        {
            texts = strings
        } else {
            issue("'\(key)' must be an address or a list of addresses, e.g. \"ops@example.com\"", key: key, in: section)
            return nil
        }
        for text in texts where !Self.isMailAddress(text) {
            issue("'\(key)': \(Self.quoted(text)) is not a mail address (local@domain)", key: key, in: section)
            return nil
        }
        return texts
    }

    static func isMailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = CharacterSet.whitespacesAndNewlines.union(.controlCharacters)
            .union(CharacterSet(charactersIn: ",;<>\"'()[]\\"))
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && !text.hasPrefix("-") && text.unicodeScalars.allSatisfy { !forbidden.contains($0) }
    }
}
