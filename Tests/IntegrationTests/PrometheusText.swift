import Foundation

/// `/metrics` as the Prometheus project's own Python parser reads it
/// (`prometheus_client.parser.text_string_to_metric_families`, Debian's python3-prometheus-client).
struct PrometheusText {
    struct Family: Decodable {
        var name: String
        var type: String
        var help: String
        var samples: [Sample]
    }

    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var families: [Family]

    private static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = [
            {"name": f.name, "type": f.type, "help": f.documentation,
             "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
            for f in text_string_to_metric_families(open(sys.argv[1]).read())]
        print(json.dumps(families))
        """

    /// Parses `text`; throws when the parser refuses it.
    init(parsing text: String) throws {
        let file = NSTemporaryDirectory() + "/vmbt-metrics-" + UUID().uuidString
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try Shell.run(["/usr/bin/python3", "-c", Self.script, file])
        families = try JSONDecoder().decode([Family].self, from: Data(output.stdout.utf8))
    }

    /// The value of the sample `name` with exactly `labels`, if there is one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.lazy.flatMap(\.samples).first { $0.name == name && $0.labels == labels }?.value
    }
}
