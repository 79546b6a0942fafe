import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension DomainCopyRewrite {
    /// Puts each restored disk on its new image as a plain file disk, empties cdroms and floppies,
    /// and leaves every other disk out.
    mutating func diskSources() {
        for disk in domain.devices(named: "disk") {
            let target = disk.child(named: "target")?.value(ofAttribute: "dev") ?? "?"
            let device = disk.value(ofAttribute: "device") ?? "disk"
            if let image = copy.disks[target] {
                point(disk, at: image)
                if device == "lun" {
                    // A SCSI LUN passes a host block device through; a file can only be a disk.
                    disk.setValue("disk", ofAttribute: "device")
                    note("disk \(target) is a plain disk on its image: it was a passed-through LUN")
                }
            } else if device == "cdrom" || device == "floppy" {
                let hadMedium = disk.child(named: "source") != nil
                disk.setValue("file", ofAttribute: "type")
                Self.detachStorage(of: disk)
                if hadMedium { note("\(device) \(target) kept with an empty tray") }
            } else {
                disk.detach()
                note("disk \(target) left out: not restored")
            }
        }
    }

    /// Makes `disk` a file disk on `image` alone, keeping its guest-facing settings (target, bus,
    /// serial, boot order, address, cache and discard modes).
    private func point(_ disk: XMLElement, at image: DomainCopy.DiskImage) {
        disk.setValue("file", ofAttribute: "type")
        let position = disk.child(named: "source")?.index ?? disk.child(named: "driver").map { $0.index + 1 } ?? 0
        Self.detachStorage(of: disk)
        disk.insertChild(XMLElement.make("source", ["file": image.path]), at: min(position, disk.childCount))
        if let driver = disk.child(named: "driver") {
            driver.setValue(image.format.rawValue, ofAttribute: "type")
        } else {
            disk.insertChild(XMLElement.make("driver", ["name": "qemu", "type": image.format.rawValue]), at: 0)
        }
    }

    /// Removes whatever ties a disk to the original's storage: its source (file, LV, pool volume,
    /// network image, with the source's own seclabels, slices and reservations), backing chain,
    /// block job mirror, and the legacy places of auth and encryption.
    private static func detachStorage(of disk: XMLElement) {
        disk.removeChildren(named: "source", "backingStore", "mirror", "auth", "encryption")
    }
}
