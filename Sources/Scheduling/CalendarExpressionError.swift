/// Why a calendar expression could not be read, and where.
///
/// `message` names the field and the offending text (`unknown weekday "Mox"`, `hour 25 out of range (0..23)`);
/// `column` points at it, so a config reader can report `file:line: schedule "Mox 02:00": unknown weekday
/// "Mox" (column 1)`.
public struct CalendarExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as written.
    public var expression: String
    /// What is wrong, naming the field and quoting the offending text.
    public var message: String
    /// The 1-based column (in characters) of the offending text within `expression`.
    public var column: Int

    /// An error about `expression`, pointing at `column`.
    public init(expression: String, message: String, column: Int) {
        self.expression = expression
        self.message = message
        self.column = column
    }

    /// `unknown weekday "Mox" (column 1)`: the caller names the setting and quotes the expression.
    public var description: String { "\(message) (column \(column))" }
}
