import NBD

/// Walks a source's allocation in order, asking block status ahead in large ranges.
///
/// A source without `base:allocation` is treated as all data.
struct ExtentCursor {
    private let connection: NBDConnection
    private let size: UInt64
    private let supportsBlockStatus: Bool
    private var pending: [Extent] = []
    private var pendingIndex = 0

    init(connection: NBDConnection) {
        self.connection = connection
        self.size = connection.size
        self.supportsBlockStatus = connection.supportsBlockStatus
    }

    /// The extents that cover `range` exactly, in order and clipped to it. `range` must start
    /// where the previous call's ended.
    mutating func extents(covering range: Range<UInt64>) throws(NBDError) -> [Extent] {
        var result: [Extent] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let extent = try next(from: position)
            let end = min(extent.end, range.upperBound)
            result.append(
                Extent(offset: position, length: end - position, isHole: extent.isHole, isZero: extent.isZero))
            position = end
        }
        return result
    }

    /// The extent that holds `position`, asking the server for more when needed.
    private mutating func next(from position: UInt64) throws(NBDError) -> Extent {
        while pendingIndex < pending.count, pending[pendingIndex].end <= position {
            pendingIndex += 1
        }
        if pendingIndex < pending.count, pending[pendingIndex].offset <= position {
            return pending[pendingIndex]
        }
        let remaining = size - position
        pendingIndex = 0
        pending = supportsBlockStatus ? try connection.blockStatus(offset: position, length: remaining) : []
        if pending.first?.offset != position {
            // No answer for this position: read it as data rather than guess that it is zero.
            pending = [Extent(offset: position, length: remaining, isHole: false, isZero: false)]
        }
        return pending[0]
    }
}
