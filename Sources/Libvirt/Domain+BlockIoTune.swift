import CLibvirt

extension Domain {
    /// The running domain's I/O limits on one disk (not those of its persistent definition).
    ///
    /// Wraps `virDomainGetBlockIoTune(dom, disk, ..., VIR_DOMAIN_AFFECT_LIVE)`, asked once for the
    /// number of parameters and once for their values.
    public func blockIoTune(disk: String) throws(LibvirtError) -> BlockIoTune {
        let flags = VIR_DOMAIN_AFFECT_LIVE.rawValue
        var count: Int32 = 0
        guard virDomainGetBlockIoTune(pointer, disk, nil, &count, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainGetBlockIoTune")
        }
        guard count > 0 else { return BlockIoTune(limits: [:]) }
        let parameters = UnsafeMutablePointer<virTypedParameter>.allocate(capacity: Int(count))
        parameters.initialize(repeating: virTypedParameter(), count: Int(count))
        defer { parameters.deallocate() }
        guard virDomainGetBlockIoTune(pointer, disk, parameters, &count, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainGetBlockIoTune")
        }
        defer { virTypedParamsClear(parameters, count) }
        var tune = BlockIoTune(limits: [:])
        for parameter in UnsafeBufferPointer(start: parameters, count: Int(count)) {
            let name = withUnsafeBytes(of: parameter.field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            switch Int32(parameter.type) {
            case Int32(VIR_TYPED_PARAM_ULLONG.rawValue):
                tune.limits[name] = UInt64(parameter.value.ul)
            case Int32(VIR_TYPED_PARAM_STRING.rawValue):
                if name == VIR_DOMAIN_BLOCK_IOTUNE_GROUP_NAME, let text = parameter.value.s {
                    tune.groupName = String(cString: text)
                }
            default:
                break
            }
        }
        return tune
    }

    /// Sets the running domain's I/O limits on one disk to `tune`'s numeric limits, every one of
    /// them, so that libvirt merges nothing of its own in; the persistent definition is left alone,
    /// so the limits end with the running domain. The throttle group is not changed.
    ///
    /// Wraps `virDomainSetBlockIoTune(dom, disk, ..., VIR_DOMAIN_AFFECT_LIVE)`.
    public func setBlockIoTune(disk: String, _ tune: BlockIoTune) throws(LibvirtError) {
        var parameters: virTypedParameterPtr?
        var count: Int32 = 0
        var capacity: Int32 = 0
        defer { virTypedParamsFree(parameters, count) }
        for (name, value) in tune.limits.sorted(by: { $0.key < $1.key }) {
            guard virTypedParamsAddULLong(&parameters, &count, &capacity, name, value) == 0 else {
                throw LibvirtError.last(call: "virTypedParamsAddULLong")
            }
        }
        guard virDomainSetBlockIoTune(pointer, disk, parameters, count, VIR_DOMAIN_AFFECT_LIVE.rawValue) == 0 else {
            throw LibvirtError.last(call: "virDomainSetBlockIoTune")
        }
    }
}
