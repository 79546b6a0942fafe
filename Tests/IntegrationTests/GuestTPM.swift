import Foundation

/// The guest's TPM, driven from inside through /dev/tpm0 with raw TPM 2.0 commands (the test
/// guest has no TPM tools): an 8-byte NV index holds a token, so a test can tell whether a
/// restored TPM is the one the backup saw, and not a fresh one.
extension TestGuest {
    /// The NV index the token lives in (owner-created range).
    private static let tpmIndex = #"\x01\x50\x00\x01"#
    /// An empty password session (TPM_RS_PW), authorizing as the owner, whose password is empty.
    private static let passwordSession = #"\x00\x00\x00\x09\x40\x00\x00\x09\x00\x00\x00\x00\x00"#

    /// TPM_RC_NV_DEFINED: the index exists already.
    private static let alreadyDefined = "0000014c"
    /// TPM_RC_HANDLE for the first handle: no such index (a fresh TPM).
    static let noSuchIndex = "0000028b"

    /// Defines the index when missing and writes `token` (8 ASCII letters or digits) into it.
    func writeTPMToken(_ token: String) throws {
        precondition(token.utf8.count == 8 && token.allSatisfy { $0.isLetter || $0.isNumber })
        // TPM2_NV_DefineSpace: owner-readable and -writable, 8 bytes, SHA-256 name.
        let define = tpmCommand(
            #"\x80\x02\x00\x00\x00\x2d\x00\x00\x01\x2a\x40\x00\x00\x01"# + Self.passwordSession + #"\x00\x00\x00\x0e"#
                + Self.tpmIndex + #"\x00\x0b\x02\x06\x00\x06\x00\x00\x00\x08"#)
        let defined = try runInGuest(define).trimmingCharacters(in: .whitespacesAndNewlines)
        let code = Self.responseCode(defined)
        guard code == "00000000" || code == Self.alreadyDefined else {
            throw TPMFailure(description: "TPM2_NV_DefineSpace answered \(defined)")
        }
        // TPM2_NV_Write of the token at offset 0.
        let write = tpmCommand(
            #"\x80\x02\x00\x00\x00\x2b\x00\x00\x01\x37\x40\x00\x00\x01"# + Self.tpmIndex + Self.passwordSession
                + #"\x00\x08"# + token + #"\x00\x00"#)
        let written = try runInGuest(write).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.responseCode(written) == "00000000" else {
            throw TPMFailure(description: "TPM2_NV_Write answered \(written)")
        }
    }

    /// The token in the index, or the TPM's response code when it cannot be read (`noSuchIndex`
    /// on a TPM that never had it).
    func readTPMToken() throws -> String {
        let read = tpmCommand(
            #"\x80\x02\x00\x00\x00\x23\x00\x00\x01\x4e\x40\x00\x00\x01"# + Self.tpmIndex + Self.passwordSession
                + #"\x00\x08\x00\x00"#)
        let hex = try runInGuest(read).trimmingCharacters(in: .whitespacesAndNewlines)
        let code = Self.responseCode(hex)
        guard code == "00000000" else { return code }
        // Header (10 bytes), parameter size (4), the data's size (2), then the data.
        let bytes = stride(from: 32, to: 48, by: 2).compactMap { offset -> UInt8? in
            let start = hex.index(hex.startIndex, offsetBy: offset, limitedBy: hex.endIndex) ?? hex.endIndex
            let end = hex.index(start, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            return UInt8(hex[start..<end], radix: 16)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A guest shell line that sends one command to /dev/tpm0 and prints the response in hex.
    private func tpmCommand(_ bytes: String) -> String {
        "exec 3<>/dev/tpm0 && printf '\(bytes)' >&3 && dd bs=4096 count=1 <&3 2>/dev/null | od -An -tx1 | tr -d ' \\n'"
    }

    private static func responseCode(_ hex: String) -> String {
        guard hex.count >= 20 else { return "no answer: \(hex)" }
        return String(hex.dropFirst(12).prefix(8))
    }

    struct TPMFailure: Error, CustomStringConvertible {
        var description: String
    }
}
