/// An async lock per key (a VM's UUID): one holder per key at a time, the others wait in order.
actor KeyedLock {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func lock(_ key: String) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        // `unlock` hands the key over: it stays held.
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    /// Runs `body` holding the key; released however `body` ends.
    func withLock<T: Sendable>(_ key: String, _ body: () async throws -> T) async rethrows -> T {
        await lock(key)
        do {
            let result = try await body()
            unlock(key)
            return result
        } catch {
            unlock(key)
            throw error
        }
    }

    func unlock(_ key: String) {
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(key)
        }
    }

}
