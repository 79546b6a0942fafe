import CLibvirt

extension Domain {
    /// Whether a backup job (`virDomainBackupBegin`) runs on the domain now: one the daemon left
    /// when it stopped, say, which must be ended before another backup can begin.
    ///
    /// Wraps `virDomainGetJobStats` and reads its `VIR_DOMAIN_JOB_OPERATION` parameter.
    public func hasBackupJob() throws(LibvirtError) -> Bool {
        var type: Int32 = 0
        var parameters: virTypedParameterPtr?
        var count: Int32 = 0
        guard virDomainGetJobStats(pointer, &type, &parameters, &count, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainGetJobStats")
        }
        defer { virTypedParamsFree(parameters, count) }
        guard type != Int32(VIR_DOMAIN_JOB_NONE.rawValue) else { return false }
        var operation: Int32 = 0
        guard virTypedParamsGetInt(parameters, count, VIR_DOMAIN_JOB_OPERATION, &operation) == 1 else {
            return false
        }
        return operation == Int32(VIR_DOMAIN_JOB_OPERATION_BACKUP.rawValue)
    }
}
