import Foundation
import Targets

extension Manifest {
    /// Reads `<backup folder>/manifest.json` as published.
    static func read(_ folder: String) throws -> Manifest {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
        return try JSONDecoder.manifest.decode(Manifest.self, from: data)
    }
}

extension JSONDecoder {
    static var manifest: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
