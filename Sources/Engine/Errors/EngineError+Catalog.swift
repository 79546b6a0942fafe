import Catalog

extension EngineError {
    /// A catalog error as the engine reports it: `backup_not_found` for a missing backup,
    /// `internal` for everything else; the catalog's error is kept as the cause.
    init(catalog error: CatalogError, vm: String? = nil, fileID: String = #fileID, line: Int = #line) {
        self.init(
            error.apiError.code, error.description, step: .catalog, vm: vm, cause: error, fileID: fileID, line: line)
    }
}
