import Foundation

/// Reads the JSON that `lvs`/`vgs --reportformat json` print:
/// `{"report": [{"lv": [{"lv_name": "root", ...}]}]}`, every value a string.
enum LVMReport {
    struct Document<Row: Decodable>: Decodable {
        var report: [Section<Row>]
    }

    struct Section<Row: Decodable>: Decodable {
        var lv: [Row]?
        var vg: [Row]?
    }

    struct LogicalVolumeRow: Decodable {
        var lv_name: String
        var vg_name: String
        var lv_size: String
        var lv_attr: String
        var pool_lv: String?
        var origin: String?
        var data_percent: String?
        var snap_percent: String?
        var lv_path: String?
        var lv_snapshot_invalid: String?
    }

    struct VolumeGroupRow: Decodable {
        var vg_name: String
        var vg_free: String
        var vg_extent_size: String
    }

    static let logicalVolumeFields =
        "lv_name,vg_name,lv_size,lv_attr,pool_lv,origin,data_percent,snap_percent,lv_path,lv_snapshot_invalid"
    static let volumeGroupFields = "vg_name,vg_free,vg_extent_size"

    /// The logical volumes in `output`.
    static func logicalVolumes(from output: String) throws(ReportError) -> [LogicalVolume] {
        let rows: [LogicalVolumeRow] = try decode(output).report.flatMap { $0.lv ?? [] }
        return try rows.map { row throws(ReportError) in
            let data = percent(row.data_percent)
            return LogicalVolume(
                vgName: row.vg_name, name: row.lv_name, path: row.lv_path ?? "",
                sizeBytes: try bytes(row.lv_size, field: "lv_size"), attributes: row.lv_attr,
                poolName: nonEmpty(row.pool_lv), originName: nonEmpty(row.origin),
                dataPercent: data ?? percent(row.snap_percent),
                snapshotInvalid: nonEmpty(row.lv_snapshot_invalid) != nil)
        }
    }

    /// The volume groups in `output`.
    static func volumeGroups(from output: String) throws(ReportError) -> [VolumeGroup] {
        let rows: [VolumeGroupRow] = try decode(output).report.flatMap { $0.vg ?? [] }
        return try rows.map { row throws(ReportError) in
            VolumeGroup(
                name: row.vg_name, freeBytes: try bytes(row.vg_free, field: "vg_free"),
                extentSizeBytes: try bytes(row.vg_extent_size, field: "vg_extent_size"))
        }
    }

    /// lvm prints warnings through the same channel as the report, so the JSON is taken from the
    /// first `{` to the last `}`.
    private static func decode<Row: Decodable>(_ output: String) throws(ReportError) -> Document<Row> {
        guard let start = output.firstIndex(of: "{"), let end = output.lastIndex(of: "}") else {
            throw ReportError(reason: "no JSON report in the output")
        }
        do {
            return try JSONDecoder().decode(Document<Row>.self, from: Data(output[start...end].utf8))
        } catch {
            throw ReportError(reason: "the JSON report could not be decoded: \(error)")
        }
    }

    private static func bytes(_ text: String, field: String) throws(ReportError) -> UInt64 {
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw ReportError(reason: "\(field) '\(text)' is not a number of bytes")
        }
        return value
    }

    private static func percent(_ text: String?) -> Double? {
        nonEmpty(text).flatMap { Double($0) }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    struct ReportError: Error {
        var reason: String
    }
}
