/// A backup job's XML that lacks what every backup job has.
public enum BackupJobXMLError: Error, Sendable, Equatable, CustomStringConvertible {
    case diskWithoutName

    public var description: String {
        switch self {
        case .diskWithoutName: "a <disk> of the backup job XML has no name attribute"
        }
    }
}
