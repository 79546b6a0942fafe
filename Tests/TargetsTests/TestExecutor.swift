import Blocking

/// The pool the tests' targets run their blocking I/O on, as the daemon's one executor.
let testExecutor = BlockingExecutor(threads: 2)
