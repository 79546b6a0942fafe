/// Whom a policy tells when a job of its VMs ends: `notify_webhook`, `notify_mail` and
/// `notify_on` in `[policy.NAME]`.
public struct NotificationSettings: Sendable, Equatable {
    /// Which job endings are told.
    public enum Occasion: String, Sendable, CaseIterable {
        /// A job that failed or was cancelled.
        case failure
        /// Every job that ends, succeeded included.
        case always
    }

    /// An `http://` or `https://` URL the notice is POSTed to as JSON.
    public var webhook: String?
    /// The addresses the notice is mailed to through the local `sendmail`.
    public var mailTo: [String]
    public var occasion: Occasion

    public init(webhook: String? = nil, mailTo: [String] = [], occasion: Occasion = .failure) {
        self.webhook = webhook
        self.mailTo = mailTo
        self.occasion = occasion
    }

    /// Neither a webhook nor an address: nobody is told.
    public var isEmpty: Bool { webhook == nil && mailTo.isEmpty }
}
