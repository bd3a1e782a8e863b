//! XML for XMPP: parse one RFC 7395 frame into an [`Element`] tree, and write elements back with
//! escaping.
//!
//! RFC 6120 §11.1 restricts the XML an XMPP peer may send: no comments, processing instructions,
//! DTDs or entity references other than the predefined ones. The parser refuses all of those (so a
//! "billion laughs" DOCTYPE never reaches an expander), caps depth and size, and keeps unknown
//! elements as generic trees so callers can ignore what they do not understand.
//!
//! Memory stays proportional to the frame: a namespace URI is stored once per declaration and
//! shared ([`Namespace`] is reference-counted), URIs are capped at [`MAX_NAMESPACE_BYTES`] and
//! elements at [`MAX_ELEMENTS`] per frame. Without that, a 256 KiB message with a long namespace
//! and many children asked for gigabytes and aborted the app.
//!
//! The writer is the only way the client produces XML: text and attribute values are escaped, and a
//! character XML 1.0 cannot carry (NUL and other C0 controls, U+FFFE, U+FFFF) is refused rather than
//! silently dropped, so what goes on the wire parses back to exactly what was built.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

mod parse;
pub use parse::{parse_document, parse_frame, parse_frame_bytes, Slice, SlicedFrame};

/// Deepest nesting accepted in one frame. Real stanzas stay below 10; forwarded archives below 20.
pub const MAX_DEPTH: usize = 64;
/// Longest namespace URI accepted. The ones XMPP uses are under 100 bytes.
pub const MAX_NAMESPACE_BYTES: usize = 1024;
/// Elements accepted in one frame: a 10,000-room list or a 20,000-contact roster fits.
pub const MAX_ELEMENTS: usize = 100_000;

/// A namespace URI, shared by every element in its scope.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Namespace(Rc<str>);

impl Namespace {
    pub fn new(uri: &str) -> Self {
        Self(Rc::from(uri))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Namespace {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Namespace {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Namespace {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl fmt::Debug for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An XML element with its namespace resolved. Attribute names keep their prefix only for `xml:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub ns: Namespace,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Why a frame could not be parsed. The client logs it and drops the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    InvalidUtf8,
    Malformed(String),
    Forbidden(&'static str),
    TooDeep,
    TooManyElements,
    NamespaceTooLong,
    UnknownEntity(String),
    UnboundPrefix(String),
    NotOneElement,
    InvalidChar(char),
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUtf8 => f.write_str("the frame is not valid UTF-8"),
            Self::Malformed(e) => write!(f, "malformed XML: {e}"),
            Self::Forbidden(what) => write!(f, "XMPP forbids {what} (RFC 6120 §11.1)"),
            Self::TooDeep => write!(f, "elements nested deeper than {MAX_DEPTH}"),
            Self::TooManyElements => write!(f, "more than {MAX_ELEMENTS} elements in one frame"),
            Self::NamespaceTooLong => {
                write!(f, "a namespace longer than {MAX_NAMESPACE_BYTES} bytes")
            }
            Self::UnknownEntity(e) => write!(f, "unknown entity &{e};"),
            Self::UnboundPrefix(p) => write!(f, "undeclared namespace prefix '{p}'"),
            Self::NotOneElement => f.write_str("a frame must hold exactly one element"),
            Self::InvalidChar(c) => {
                write!(f, "character U+{:04X} is not allowed in XML", *c as u32)
            }
        }
    }
}

impl Element {
    pub fn new(name: &str, ns: &str) -> Self {
        Self::in_namespace(name, Namespace::new(ns))
    }

    /// An element in a namespace already at hand, sharing it instead of copying.
    pub fn in_namespace(name: &str, ns: Namespace) -> Self {
        Self {
            name: name.to_owned(),
            ns,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Builder: set an attribute (replacing an earlier value of the same name).
    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set_attr(name, value);
        self
    }

    /// Builder: set an attribute only when there is a value.
    pub fn attr_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_owned(), value)),
        }
    }

    /// Builder: append a child element.
    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    /// Builder: append text. Empty text adds nothing, as a parser would see it.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.is_empty() {
            self.children.push(Node::Text(text));
        }
        self
    }

    /// Builder: a child `<name xmlns=ns>text</name>`.
    pub fn text_child(self, name: &str, ns: &str, text: impl Into<String>) -> Self {
        let child = Element::new(name, ns).text(text);
        self.child(child)
    }

    pub fn get_attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is(&self, name: &str, ns: &str) -> bool {
        self.name == name && *self.ns == *ns
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn get_child(&self, name: &str, ns: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(name, ns))
    }

    /// Moves the first child `name` in `ns` out of the tree, without copying it.
    pub fn take_child(&mut self, name: &str, ns: &str) -> Option<Element> {
        let index = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if e.is(name, ns)))?;
        match self.children.remove(index) {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        }
    }

    pub fn has_child(&self, name: &str, ns: &str) -> bool {
        self.get_child(name, ns).is_some()
    }

    /// All direct text content, concatenated.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            if let Node::Text(t) = node {
                out.push_str(t);
            }
        }
        out
    }

    /// Serialises the element, its namespace declared on it. Fails on characters XML cannot carry.
    pub fn to_xml(&self) -> Result<String, XmlError> {
        let mut out = String::with_capacity(128);
        self.write_into(&mut out, None)?;
        Ok(out)
    }

    fn write_into(&self, out: &mut String, parent_ns: Option<&str>) -> Result<(), XmlError> {
        out.push('<');
        out.push_str(&self.name);
        if parent_ns != Some(self.ns.as_str()) {
            out.push_str(" xmlns=\"");
            escape_into(out, &self.ns, true)?;
            out.push('"');
        }
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_into(out, value, true)?;
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return Ok(());
        }
        out.push('>');
        for node in &self.children {
            match node {
                Node::Element(e) => e.write_into(out, Some(&self.ns))?,
                Node::Text(t) => escape_into(out, t, false)?,
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
        Ok(())
    }
}

/// XML 1.0 §2.2 `Char`. Rust strings cannot hold surrogates, so only controls and U+FFFE/F remain.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_into(out: &mut String, s: &str, attribute: bool) -> Result<(), XmlError> {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Attribute values are normalised by parsers (XML 1.0 §3.3.3): keep whitespace exact.
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            c => return Err(XmlError::InvalidChar(c)),
        }
    }
    Ok(())
}

/// The first character XML 1.0 cannot carry. Scans bytes, not chars (a large roster spends a tenth
/// of its parsing here otherwise): in UTF-8 the only such characters are C0 controls other than
/// tab, line feed and carriage return, and U+FFFE/U+FFFF (EF BF BE, EF BF BF).
fn first_non_xml_char(s: &str) -> Option<char> {
    let bytes = s.as_bytes();
    let suspect = bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })?;
    // `suspect` is where a character starts: a C0 byte or a lead byte.
    s[suspect..].chars().next()
}

/// Checks that a string can travel in XML at all, for fields validated before a stanza is built.
pub fn check_xml_text(s: &str) -> Result<(), XmlError> {
    match first_non_xml_char(s) {
        Some(c) => Err(XmlError::InvalidChar(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse::tests::parse;
    use super::*;

    #[test]
    fn the_byte_scan_finds_what_the_xml_char_rule_refuses() {
        let mut samples: Vec<String> = vec![
            "plain".into(),
            "tab\tline\nreturn\r".into(),
            "Ёжик в тумане ①".into(),
            "emoji 🦀 and \u{FFFD}".into(),
        ];
        for c in [
            '\0', '\u{7}', '\u{1F}', '\u{FFFE}', '\u{FFFF}', '\u{80}', '\u{D7FF}', '\u{E000}',
        ] {
            samples.push(format!("before{c}after"));
            samples.push(format!("Ж{c}"));
        }
        for sample in &samples {
            assert_eq!(
                first_non_xml_char(sample),
                sample.chars().find(|&c| !is_xml_char(c)),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn writer_escapes_and_round_trips() {
        let hostile = "a<b>&c\"d'e]]>f\tg\nh\ri";
        let el = Element::new("message", "jabber:client")
            .attr("to", hostile)
            .child(Element::new("body", "jabber:client").text(hostile))
            .child(Element::new("origin-id", "urn:xmpp:sid:0").attr("id", "x"));
        let xml = el.to_xml().unwrap();
        assert!(!xml.contains("<b>"));
        assert_eq!(parse(&xml).unwrap(), el);
    }

    #[test]
    fn writer_refuses_invalid_chars() {
        for c in ['\u{0}', '\u{1}', '\u{1B}', '\u{FFFE}', '\u{FFFF}'] {
            let el = Element::new("body", "jabber:client").text(format!("x{c}y"));
            assert_eq!(el.to_xml(), Err(XmlError::InvalidChar(c)));
            let el = Element::new("body", "jabber:client").attr("a", c.to_string());
            assert_eq!(el.to_xml(), Err(XmlError::InvalidChar(c)));
        }
    }
}
