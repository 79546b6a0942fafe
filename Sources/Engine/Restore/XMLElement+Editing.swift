import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Small edits of a parsed domain XML, for `DomainCopy`.
extension XMLElement {
    /// The first child element of that name.
    func child(named name: String) -> XMLElement? {
        elements(forName: name).first
    }

    /// The child elements of `<devices>` of that name, in document order.
    func devices(named name: String) -> [XMLElement] {
        elements(forName: "devices").flatMap { $0.elements(forName: name) }
    }

    func value(ofAttribute name: String) -> String? {
        attribute(forName: name)?.stringValue
    }

    /// Sets an attribute, adding it when missing.
    func setValue(_ value: String, ofAttribute name: String) {
        if let existing = attribute(forName: name) {
            existing.stringValue = value
        } else if let attribute = XMLNode.attribute(withName: name, stringValue: value) as? XMLNode {
            addAttribute(attribute)
        }
    }

    func removeAttributes(_ names: String...) {
        for name in names { removeAttribute(forName: name) }
    }

    /// Removes every child element with one of these names.
    func removeChildren(named names: String...) {
        for name in names {
            for child in elements(forName: name) { child.detach() }
        }
    }

    /// A new element with these attributes, in this order.
    static func make(_ name: String, _ attributes: KeyValuePairs<String, String>) -> XMLElement {
        let element = XMLElement(name: name)
        for (key, value) in attributes { element.setValue(value, ofAttribute: key) }
        return element
    }
}
