/// When one VM is backed up: the elapses of a calendar expression, each shifted by a delay fixed
/// for that VM.
///
/// Like a systemd timer with `OnCalendar=`, `RandomizedDelaySec=` and `FixedRandomDelay=yes`: the
/// delay lies in `[0, randomizedDelay)` and depends on `id` alone, so the VMs of a host spread over
/// the window while each keeps its own slot across restarts.
public struct ScheduleEntry: Sendable, Hashable, Identifiable {
    /// The VM's UUID: names the entry and seeds its delay.
    public var id: String
    /// When the VM's runs elapse, before the delay.
    public var expression: CalendarExpression
    /// The exclusive upper bound of the delay; zero (or less) for none.
    public var randomizedDelay: Duration

    /// An entry for the VM `id`, running at the elapses of `expression` delayed by up to `randomizedDelay`.
    public init(id: String, expression: CalendarExpression, randomizedDelay: Duration = .zero) {
        self.id = id
        self.expression = expression
        self.randomizedDelay = randomizedDelay
    }
}
