import DaemonLogging
import Logging
import Testing

@Suite struct LogfmtTests {
    @Test func plainValuesStayBare() {
        #expect(Logfmt.fields(["job.id": "t-1", "vm.name": "web01"]) == "job.id=t-1 vm.name=web01")
    }

    @Test func fieldsAreSortedByKey() {
        let fields = Logfmt.fields(["vm.name": "a", "disk.target": "vda", "job.id": "j"])
        #expect(fields == "disk.target=vda job.id=j vm.name=a")
    }

    @Test func valuesWithSpacesQuotesEqualsOrNewlinesAreQuotedAndEscaped() {
        #expect(Logfmt.value("no space left") == #""no space left""#)
        #expect(Logfmt.value(#"say "hi""#) == #""say \"hi\"""#)
        #expect(Logfmt.value("a=b") == #""a=b""#)
        #expect(Logfmt.value("one\ntwo") == #""one\ntwo""#)
        #expect(Logfmt.value(#"C:\dir"#) == #""C:\\dir""#)
    }

    @Test func anEmptyValueIsAPairOfQuotes() {
        #expect(Logfmt.value("") == #""""#)
    }

    @Test func nestedMetadataIsFlattenedWithDottedKeys() {
        let metadata: Logger.Metadata = ["disk": ["target": "vda", "size": "1024"], "vms": ["a", "b"]]
        #expect(Logfmt.fields(metadata) == "disk.size=1024 disk.target=vda vms=a,b")
    }

    @Test func keysKeepOnlySafeCharacters() {
        #expect(Logfmt.fields(["bad key=x": "v"]) == "bad_key_x=v")
    }

    @Test func oneLineEscapesControlCharactersOnly() {
        #expect(Logfmt.oneLine("first\nsecond\tthird") == #"first\nsecond\tthird"#)
        #expect(Logfmt.oneLine("unchanged \"text\"") == "unchanged \"text\"")
    }
}
