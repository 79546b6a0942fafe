/// A checkpoint's XML that lacks what every checkpoint has.
public enum CheckpointXMLError: Error, Sendable, Equatable, CustomStringConvertible {
    case diskWithoutName

    public var description: String {
        switch self {
        case .diskWithoutName: "a <disk> of the checkpoint XML has no name attribute"
        }
    }
}
