import Foundation
import Targets

extension Manifest {
    /// Reads `<backup folder>/manifest.json` as published.
    static func read(_ folder: String) throws -> Manifest {
        try decode(Data(contentsOf: URL(fileURLWithPath: folder + "/" + fileName)))
    }
}
