import APIModel
import Blocking
import Catalog
import Foundation
import Libvirt
import Streaming
import Targets

/// Turns a restore request into a ``RestorePlan``: which stored disk of which backup goes where.
/// The engine feeds it the backups and the domain; it checks every name and path and refuses
/// what would overwrite or clash, before anything is written.
struct RestorePlanner {
    /// One disk the request asks for, and the backup it names (the one in the path when `nil`).
    typealias Choice = RestoreRequest.DiskChoice

    static let formats = ["qcow2", "raw"]
    /// Where a new domain's disks go when the request names no folder and the original's folder
    /// is not on this host.
    static let defaultImageFolder = "/var/lib/libvirt/images"

    let main: CatalogBackup
    let request: RestoreRequest
    let mode: RestoreSummary.Mode
    private var disks: [RestorePlan.Disk] = []
    private var stateFiles: [RestorePlan.StateFile] = []
    private var newDomain: DomainCopy.Definition?

    init(main: CatalogBackup, request: RestoreRequest, mode: RestoreSummary.Mode) {
        self.main = main
        self.request = request
        self.mode = mode
    }

    var plan: RestorePlan {
        RestorePlan(
            vmName: main.vmName, vmUUID: main.vmUUID, backupID: main.id, mode: mode, disks: disks,
            stateFiles: stateFiles, newDomain: newDomain, newDomainName: mode == .domain ? request.as : nil,
            shutDownFirst: request.force == true, start: request.start, instant: request.instant == true)
    }

    /// Where the request sends the backup; `bad_request` unless it says exactly one place, and
    /// for options that do not go with that place.
    static func mode(of request: RestoreRequest) throws(EngineError) -> RestoreSummary.Mode {
        let inPlace = request.inPlace == true
        let places = [request.as != nil, inPlace, request.to != nil && request.as == nil].filter { $0 }.count
        guard places == 1 else {
            throw EngineError(
                .badRequest,
                "say where to restore: to a folder (to, --to DIR), as a new VM (as, --as NAME) or over the VM's "
                    + "own disks (inPlace, --in-place), exactly one of them", step: .plan)
        }
        if inPlace, request.to != nil || request.format != nil {
            throw EngineError(
                .badRequest, "a restore in place writes the VM's own disks: to and format do not go with it",
                step: .plan)
        }
        if request.force == true, !inPlace {
            throw EngineError(.badRequest, "force only goes with a restore in place", step: .plan)
        }
        if let format = request.format, !formats.contains(format) {
            throw EngineError(.badRequest, "format must be qcow2 or raw, not \(format.debugDescription)", step: .plan)
        }
        if request.instant == true, request.as == nil || request.format != nil {
            throw EngineError(
                .badRequest,
                "instant goes with as (a new VM) only, and its overlays are qcow2: format does not go with it",
                step: .plan)
        }
        if request.start != nil, !inPlace, request.as == nil {
            throw EngineError(
                .badRequest, "start needs a VM to start: restore as a new VM (--as NAME) or in place", step: .plan)
        }
        return inPlace ? .inPlace : request.as != nil ? .domain : .files
    }

    /// The disks asked for: each stored disk of the backup when the request names none.
    func choices() throws(EngineError) -> [Choice] {
        let choices =
            request.disks
            ?? main.manifest.disks.filter { $0.excluded == nil && $0.file != nil }.map { Choice(target: $0.target) }
        guard !choices.isEmpty else {
            throw EngineError(.badRequest, "backup \(main.id) of VM \(main.vmName) holds no disk", step: .plan)
        }
        var seen: Set<String> = []
        for choice in choices {
            guard seen.insert(choice.target).inserted else {
                throw EngineError(.badRequest, "disk \(choice.target) is named twice", step: .plan)
            }
        }
        return choices
    }

    /// Adds disk `target` from `backup`; `backup_not_found` when that backup does not hold it.
    mutating func add(_ target: String, from backup: CatalogBackup) throws(EngineError) {
        let stored = backup.manifest.disks.filter { $0.excluded == nil && $0.file != nil }
        guard let disk = stored.first(where: { $0.target == target }) else {
            throw EngineError(
                .backupNotFound,
                "backup \(backup.id) of VM \(backup.vmName) holds no disk \(target) (it holds: "
                    + "\(stored.map(\.target).joined(separator: ", ")))", step: .plan, disk: target)
        }
        disks.append(
            RestorePlan.Disk(
                target: target, backupID: backup.id, vmUUID: backup.vmUUID, targetName: backup.target, stored: disk,
                destination: .new("")))
    }

    /// `--to DIR`: a new image per disk, `DIR/<disk>.<format>`.
    mutating func placeInFolder(checking executor: BlockingExecutor) async throws {
        let folder = try await Self.writableFolder(request.to ?? "", executor: executor)
        try await placeNewImages(in: folder, prefix: "", executor: executor)
    }

    /// `--as NAME`: a new image per disk, `DIR/<NAME>-<disk>.<format>`, the NVRAM beside them,
    /// and the definition of the new domain.
    mutating func placeInNewDomain(
        named name: String, storedXML: String, keepNetwork: Bool = true, checking executor: BlockingExecutor
    ) async throws {
        guard !name.isEmpty, name.count <= 200, !name.contains("/"),
            !name.contains(where: { $0.isNewline || $0.isWhitespace && $0 != " " })
        else {
            throw EngineError(.badRequest, "not a VM name: \(name.debugDescription)", step: .plan)
        }
        let folder: String
        if let to = request.to {
            folder = try await Self.writableFolder(to, executor: executor)
        } else {
            let original = (try? DomainXML.disks(fromDomainXML: storedXML))?.compactMap(\.sourcePath).first
            let beside = original.map { ($0 as NSString).deletingLastPathComponent }
            let usable = try await executor.run { () -> String? in
                guard let beside, access(beside, W_OK) == 0 else { return nil }
                return beside
            }
            folder = try await Self.writableFolder(usable ?? Self.defaultImageFolder, executor: executor)
        }
        try await placeNewImages(in: folder, prefix: name + "-", executor: executor)
        var nvramPath: String?
        if let nvram = main.manifest.files.first(where: { $0.role == .nvram }) {
            let path = folder + "/" + name + "_VARS.fd"
            try await Self.checkAbsent(path, executor: executor)
            nvramPath = path
            stateFiles.append(RestorePlan.StateFile(file: nvram, from: main, path: path))
        }
        let images = Dictionary(
            uniqueKeysWithValues: disks.map {
                ($0.target, DomainCopy.DiskImage(path: $0.destination.path, format: Self.imageFormat($0.destination)))
            })
        let copy = DomainCopy(
            name: name, disks: images, keepNetwork: keepNetwork, nvramPath: nvramPath, characterDeviceFolder: folder,
            restoredFrom: main.id)
        let definition = try copy.definition(from: storedXML)
        newDomain = definition
        // swtpm keeps a domain's TPM state by its UUID: the copy's goes under its new one.
        if let tpm = main.manifest.files.first(where: { $0.role == .tpmState }),
            let path = (try? DomainXML.stateFiles(fromDomainXML: definition.xml))?.tpmStatePath(uuid: definition.uuid)
        {
            let folder = DomainXML.StateFiles.tpmRoot + "/" + definition.uuid
            try await Self.checkAbsent(folder, executor: executor)
            stateFiles.append(RestorePlan.StateFile(file: tpm, from: main, path: path, removes: folder))
        }
    }

    /// `--in-place`: each disk over the domain's own image or device, which must have the size
    /// the backup has.
    mutating func placeOverDomain(xml: String) async throws {
        let current: [DomainDisk]
        do {
            current = try DomainXML.disks(fromDomainXML: xml)
        } catch {
            throw EngineError(.hypervisorFailed, "cannot read VM \(main.vmName)'s XML: \(error)", step: .plan)
        }
        for index in disks.indices {
            let disk = disks[index]
            guard let own = current.first(where: { $0.target == disk.target }) else {
                throw EngineError(
                    .badRequest,
                    "VM \(main.vmName) has no disk \(disk.target) now; restore it to a folder (--to DIR) instead",
                    step: .plan, disk: disk.target)
            }
            guard let path = own.sourcePath, own.type == "file" || own.type == "block",
                let format = own.format, Self.formats.contains(format)
            else {
                throw EngineError(
                    .badRequest,
                    "disk \(disk.target) of VM \(main.vmName) is not a qcow2 or raw file or block device; "
                        + "restore it to a folder (--to DIR) instead", step: .plan, disk: disk.target)
            }
            let size = try await Streamer.virtualSize(of: path, format: format)
            guard size == disk.stored.virtualSize else {
                throw EngineError(
                    .preconditionFailed,
                    "disk \(disk.target) of VM \(main.vmName) holds \(size) bytes now, the backup "
                        + "\(disk.stored.virtualSize ?? 0): restore it to a folder (--to DIR) instead",
                    step: .plan, disk: disk.target)
            }
            disks[index].destination = .existing(path, format: format)
        }
        let own = try? DomainXML.stateFiles(fromDomainXML: xml)
        if let nvram = main.manifest.files.first(where: { $0.role == .nvram }), let path = own?.nvram {
            stateFiles.append(RestorePlan.StateFile(file: nvram, from: main, path: path))
        }
        if let tpm = main.manifest.files.first(where: { $0.role == .tpmState }),
            let path = own?.tpmStatePath(uuid: main.vmUUID)
        {
            stateFiles.append(RestorePlan.StateFile(file: tpm, from: main, path: path))
        }
    }

    /// `--instant`: the stored image each overlay reads through, on a target that keeps it as a
    /// local file.
    mutating func setBackingFile(_ path: String, forDiskAt index: Int) {
        disks[index].backingFile = path
    }

    /// The disks planned so far.
    var plannedDisks: [RestorePlan.Disk] { disks }

    private mutating func placeNewImages(in folder: String, prefix: String, executor: BlockingExecutor) async throws {
        let format = request.instant == true ? "qcow2" : request.format ?? "qcow2"
        for index in disks.indices {
            let path = folder + "/" + prefix + disks[index].target + "." + format
            try await Self.checkAbsent(path, executor: executor)
            disks[index].destination = .new(path, format: format)
        }
    }

    private static func imageFormat(_ destination: StreamDestination) -> DomainCopy.ImageFormat {
        destination.format == "raw" ? .raw : .qcow2
    }

    /// `path` made absolute and checked: a folder this daemon can write into.
    static func writableFolder(_ path: String, executor: BlockingExecutor) async throws -> String {
        guard path.hasPrefix("/") else {
            throw EngineError(
                .badRequest, "the folder to restore to must be an absolute path, not \(path.debugDescription)",
                step: .plan)
        }
        let problem = try await executor.run { () -> String? in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return "does not exist" }
            guard isFolder.boolValue else { return "is not a folder" }
            guard access(path, W_OK | X_OK) == 0 else {
                return "cannot be written: \(String(cString: strerror(errno)))"
            }
            return nil
        }
        if let problem {
            throw EngineError(.badRequest, "cannot restore into \(path): it \(problem)", step: .plan)
        }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Throws `already_exists` when something is at `path`: a restore never overwrites a file.
    static func checkAbsent(_ path: String, executor: BlockingExecutor) async throws {
        let exists = try await executor.run { () -> Bool in
            var info = stat()
            return lstat(path, &info) == 0
        }
        if exists {
            throw EngineError(
                .alreadyExists,
                "\(path) exists already; a restore never overwrites a file: move it away or choose another place",
                step: .plan)
        }
    }
}
