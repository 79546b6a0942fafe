import ArgumentParser
import Config
import Foundation
import Libvirt

/// A config file the daemon cannot use: every problem, as `file:line: message`. Reported without
/// the usage banner (the command line was fine), with exit status 78 (`EX_CONFIG`).
struct InvalidConfiguration: Error, CustomStringConvertible {
    var problems: ConfigError

    var description: String { "invalid configuration:\n\(problems)" }

    /// Prints the problems to standard error and ends the process with status 78.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("vmbackupd: \(description)\n".utf8))
        return ExitCode(78)
    }
}

/// `vmbackupd --check-config [PATH]`: the file's problems were reported while it was read; with
/// `--libvirt-uri`, also warns about `[[vm]]` rules that select no domain there.
enum ConfigCheck {
    static func report(path: String?, settings: DaemonConfig, libvirtURI: String?) throws {
        guard let path else {
            print("defaults: ok")
            return
        }
        var warnings: [ConfigIssue] = []
        if let libvirtURI {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            do {
                let domains = try listDomains(uri: libvirtURI)
                warnings = settings.rulesMatchingNoDomain(domains, text: text, file: path)
                    .map { ConfigIssue(file: $0.file, line: $0.line, message: $0.message + " on \(libvirtURI)") }
            } catch {
                FileHandle.standardError.write(
                    Data(
                        "vmbackupd: cannot list the domains on \(libvirtURI) to check the [[vm]] rules: \(error)\n".utf8
                    ))
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
        }
        for warning in warnings {
            FileHandle.standardError.write(Data("\(warning)\n".utf8))
        }
        print(warnings.isEmpty ? "\(path): ok" : "\(path): ok, \(warnings.count) warning(s)")
    }

    /// Every domain on `uri`, defined or transient, by name and UUID.
    private static func listDomains(uri: String) throws -> [(name: String, uuid: String)] {
        let connection = try LibvirtConnection(uri: uri)
        return try connection.listDomainNames().compactMap { name in
            // A domain undefined between the two calls is simply not there.
            guard let domain = try? connection.lookupDomain(name) else { return nil }
            return (name: domain.name, uuid: domain.uuid)
        }
    }
}
