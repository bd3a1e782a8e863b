//! The frame parser: quick-xml events into an [`Element`] tree, refusing what RFC 6120 §11.1
//! forbids and bounding depth, elements and namespaces (see the parent module).

use super::{first_non_xml_char, is_xml_char, Element, Namespace, Node, XmlError};
use super::{MAX_DEPTH, MAX_ELEMENTS, MAX_NAMESPACE_BYTES};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::Cursor;

/// Parses raw bytes as one frame; invalid UTF-8 is an error, not a panic.
pub fn parse_frame_bytes(bytes: &[u8]) -> Result<Option<Element>, XmlError> {
    let s = std::str::from_utf8(bytes).map_err(|_| XmlError::InvalidUtf8)?;
    parse_frame(s)
}

/// Parses one frame. `Ok(None)` is a whitespace-only frame (a keep-alive).
/// Stanzas without a declared default namespace are in `jabber:client` (RFC 6120 §4.8.3).
pub fn parse_frame(input: &str) -> Result<Option<Element>, XmlError> {
    Parser::new(false).run(input)
}

/// Parses a whole XML document that is not XMPP (XEP-0156 host-meta): the same limits, but
/// comments, which ordinary XML documents carry, are skipped instead of refused.
pub fn parse_document(input: &str) -> Result<Option<Element>, XmlError> {
    Parser::new(true).run(input)
}

/// One frame parsed a slice at a time: each [`SlicedFrame::step`] closes at most a given number
/// of elements, so the caller can give the page back between slices (a roster of 10,000 is over
/// a megabyte). The same rules and limits as [`parse_frame`]; the reader keeps its place, and
/// quick-xml its check of end names, between steps.
pub struct SlicedFrame {
    reader: Reader<Cursor<Vec<u8>>>,
    buf: Vec<u8>,
    parser: Option<Parser>,
}

/// What a step got to.
#[derive(Debug, PartialEq)]
pub enum Slice {
    /// The frame goes on: step again.
    More,
    /// The whole frame, as [`parse_frame`] would give it.
    Done(Option<Element>),
}

impl SlicedFrame {
    pub fn new(frame: String) -> Self {
        let mut reader = Reader::from_reader(Cursor::new(frame.into_bytes()));
        configure(&mut reader);
        Self {
            reader,
            buf: Vec::new(),
            parser: Some(Parser::new(false)),
        }
    }

    /// Parses until `elements` more elements have closed or the frame ends. After `Done` or an
    /// error there is nothing more to parse: every later step says so.
    pub fn step(&mut self, elements: usize) -> Result<Slice, XmlError> {
        let Some(mut parser) = self.parser.take() else {
            return Err(XmlError::Malformed("the frame was already parsed".into()));
        };
        let mut closed = 0;
        loop {
            self.buf.clear();
            let event = self
                .reader
                .read_event_into(&mut self.buf)
                .map_err(malformed)?;
            match parser.event(event)? {
                Flow::Went => {}
                Flow::Closed => {
                    closed += 1;
                    if closed >= elements {
                        self.parser = Some(parser);
                        return Ok(Slice::More);
                    }
                }
                Flow::Ended => return parser.finish().map(Slice::Done),
            }
        }
    }
}

enum Flow {
    Went,
    Closed,
    Ended,
}

fn configure<R>(reader: &mut Reader<R>) {
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
}

fn malformed(e: quick_xml::Error) -> XmlError {
    XmlError::Malformed(e.to_string())
}

/// An open element and the namespace declarations it made.
struct Open {
    element: Element,
    /// The default namespace in scope for its children.
    default_ns: Namespace,
    /// Prefixed declarations made on this element.
    prefixes: Vec<(String, Namespace)>,
}

struct Parser {
    stack: Vec<Open>,
    root: Option<Element>,
    elements: usize,
    prefixes: usize,
    comments_allowed: bool,
    client_ns: Namespace,
    xml_ns: Namespace,
}

/// Prefixed namespace declarations allowed in one frame; XMPP needs a few, and each one makes
/// every later prefix lookup longer.
const MAX_PREFIXES: usize = 64;

impl Parser {
    fn new(comments_allowed: bool) -> Self {
        Self {
            stack: Vec::new(),
            root: None,
            elements: 0,
            prefixes: 0,
            comments_allowed,
            client_ns: Namespace::new(crate::xmpp::ns::CLIENT),
            xml_ns: Namespace::new("http://www.w3.org/XML/1998/namespace"),
        }
    }

    fn run(mut self, input: &str) -> Result<Option<Element>, XmlError> {
        let mut reader = Reader::from_str(input);
        configure(&mut reader);
        loop {
            let event = reader.read_event().map_err(malformed)?;
            if let Flow::Ended = self.event(event)? {
                return self.finish();
            }
        }
    }

    /// Takes one event; says whether it closed an element, the only point a slice may end at.
    fn event(&mut self, event: Event<'_>) -> Result<Flow, XmlError> {
        match event {
            Event::Start(_) | Event::Empty(_) if self.root.is_some() => {
                return Err(XmlError::NotOneElement)
            }
            Event::Start(start) => {
                let open = self.open_element(&start)?;
                self.stack.push(open);
            }
            Event::Empty(start) => {
                let open = self.open_element(&start)?;
                self.close_element(open.element);
                return Ok(Flow::Closed);
            }
            Event::End(_) => {
                // quick-xml checked the end name matches (check_end_names).
                let open = self
                    .stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("unexpected end tag".into()))?;
                self.close_element(open.element);
                return Ok(Flow::Closed);
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                self.push_text(&content)?;
            }
            Event::CData(data) => self.push_text(&data)?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                    Ok(Some(c)) => return Err(XmlError::InvalidChar(c)),
                    Ok(None) => predefined_entity(&reference)
                        .ok_or_else(|| XmlError::UnknownEntity(reference.to_string()))?
                        .to_string(),
                    Err(e) => return Err(XmlError::Malformed(e.to_string())),
                };
                self.push_text(&resolved)?;
            }
            Event::Comment(_) if self.comments_allowed => {}
            Event::Comment(_) => return Err(XmlError::Forbidden("comments")),
            Event::PI(_) => return Err(XmlError::Forbidden("processing instructions")),
            Event::DocType(_) => return Err(XmlError::Forbidden("document type declarations")),
            Event::Decl(_) => {
                if !self.stack.is_empty() || self.root.is_some() {
                    return Err(XmlError::Malformed(
                        "XML declaration inside the frame".into(),
                    ));
                }
            }
            Event::Eof => return Ok(Flow::Ended),
        }
        Ok(Flow::Went)
    }

    fn finish(self) -> Result<Option<Element>, XmlError> {
        if !self.stack.is_empty() {
            return Err(XmlError::Malformed(
                "the frame ends inside an element".into(),
            ));
        }
        Ok(self.root)
    }

    fn push_text(&mut self, text: &str) -> Result<(), XmlError> {
        if let Some(c) = first_non_xml_char(text) {
            return Err(XmlError::InvalidChar(c));
        }
        match self.stack.last_mut() {
            Some(open) => {
                let el = &mut open.element;
                // Merge with a preceding text node: entity references split text into several events.
                if let Some(Node::Text(prev)) = el.children.last_mut() {
                    prev.push_str(text);
                } else if !text.is_empty() {
                    el.children.push(Node::Text(text.to_owned()));
                }
                Ok(())
            }
            None if text.chars().all(|c| c.is_ascii_whitespace()) => Ok(()),
            None => Err(XmlError::NotOneElement),
        }
    }

    fn close_element(&mut self, el: Element) {
        match self.stack.last_mut() {
            Some(parent) => parent.element.children.push(Node::Element(el)),
            None => self.root = Some(el),
        }
    }

    fn resolve_prefix(&self, prefix: &str, own: &[(String, Namespace)]) -> Option<Namespace> {
        if prefix == "xml" {
            return Some(self.xml_ns.clone());
        }
        own.iter()
            .chain(
                self.stack
                    .iter()
                    .rev()
                    .flat_map(|open| open.prefixes.iter()),
            )
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.clone())
    }

    /// Reads a start tag, checking the element and namespace limits first.
    fn open_element(&mut self, start: &BytesStart<'_>) -> Result<Open, XmlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(XmlError::TooDeep);
        }
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(XmlError::TooManyElements);
        }
        let qname = start.name().into_inner().to_owned();
        check_name(&qname)?;
        let mut default_ns = None;
        let mut prefixes: Vec<(String, Namespace)> = Vec::new();
        let mut attrs: Vec<(String, String)> = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| XmlError::Malformed(e.to_string()))?;
            let key = attr.key.into_inner().to_owned();
            check_name(&key)?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| match e {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                    ) => XmlError::UnknownEntity(name),
                    other => XmlError::Malformed(other.to_string()),
                })?;
            if let Some(c) = first_non_xml_char(&value) {
                return Err(XmlError::InvalidChar(c));
            }
            let is_declaration = key == "xmlns" || key.starts_with("xmlns:");
            if is_declaration && value.len() > MAX_NAMESPACE_BYTES {
                return Err(XmlError::NamespaceTooLong);
            }
            if key == "xmlns" {
                default_ns = Some(self.namespace(&value));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                self.prefixes += 1;
                if self.prefixes > MAX_PREFIXES {
                    return Err(XmlError::Malformed("too many namespace prefixes".into()));
                }
                prefixes.push((prefix.to_owned(), self.namespace(&value)));
            } else {
                attrs.push((key, value.into_owned()));
            }
        }
        // Without its own declaration an element shares its parent's default namespace; the
        // root's is jabber:client.
        let default_ns = default_ns.unwrap_or_else(|| {
            self.stack
                .last()
                .map_or_else(|| self.client_ns.clone(), |open| open.default_ns.clone())
        });
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", qname.as_str()),
        };
        let ns = if prefix.is_empty() {
            default_ns.clone()
        } else {
            self.resolve_prefix(prefix, &prefixes)
                .ok_or_else(|| XmlError::UnboundPrefix(prefix.to_owned()))?
        };
        // Namespaced attributes other than xml:* mean nothing to XMPP: check the prefix, then drop them.
        for (key, _) in &attrs {
            if let Some((p, _)) = key.split_once(':') {
                if self.resolve_prefix(p, &prefixes).is_none() {
                    return Err(XmlError::UnboundPrefix(p.to_owned()));
                }
            }
        }
        attrs.retain(|(key, _)| key.split_once(':').is_none_or(|(p, _)| p == "xml"));
        Ok(Open {
            element: Element {
                name: local.to_owned(),
                ns,
                attrs,
                children: Vec::new(),
            },
            default_ns,
            prefixes,
        })
    }

    /// The namespace for a declared URI, shared with an identical one already in the frame.
    fn namespace(&self, uri: &str) -> Namespace {
        if self.client_ns == *uri {
            return self.client_ns.clone();
        }
        self.stack
            .iter()
            .rev()
            .find(|open| open.default_ns == *uri)
            .map_or_else(|| Namespace::new(uri), |open| open.default_ns.clone())
    }
}

/// XML 1.0 §2.3 `Name`, simplified: ASCII rules plus any non-ASCII XML character.
fn check_name(name: &str) -> Result<(), XmlError> {
    // Namespaces in XML §3: at most one colon, with a non-empty part on each side.
    let colons = name.bytes().filter(|&b| b == b':').count();
    if colons > 1 || (colons == 1 && (name.starts_with(':') || name.ends_with(':'))) {
        return Err(XmlError::Malformed(format!(
            "invalid name {:?}",
            name.chars().take(32).collect::<String>()
        )));
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && is_xml_char(c)));
    let rest_ok = chars.all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | ':' | '-' | '.')
            || (!c.is_ascii() && is_xml_char(c))
    });
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(XmlError::Malformed(format!(
            "invalid name {:?}",
            name.chars().take(32).collect::<String>()
        )))
    }
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The one element of a frame; the writer's tests read back what it wrote with it.
    pub(in crate::xmpp::xml) fn parse(s: &str) -> Result<Element, XmlError> {
        parse_frame(s).map(|o| o.expect("an element"))
    }

    #[test]
    fn default_namespace_is_jabber_client() {
        let el = parse("<message to='a@b'><body>hi</body></message>").unwrap();
        assert_eq!(el.ns, "jabber:client");
        assert_eq!(
            el.get_child("body", "jabber:client")
                .unwrap()
                .text_content(),
            "hi"
        );
    }

    #[test]
    fn prefixes_resolve() {
        let el = parse(
            "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
             <mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>\
             </stream:features>",
        )
        .unwrap();
        assert!(el.is("features", crate::xmpp::ns::STREAM));
        assert!(el.has_child("mechanisms", crate::xmpp::ns::SASL));
    }

    #[test]
    fn entities_and_char_refs_decode() {
        let el =
            parse("<body a='&quot;x&#x41;'>1 &lt; 2 &amp;&amp; &#65;&#x1F600;</body>").unwrap();
        assert_eq!(el.text_content(), "1 < 2 && A\u{1F600}");
        assert_eq!(el.get_attr("a"), Some("\"xA"));
    }

    #[test]
    fn doctype_and_entities_are_refused() {
        let bomb = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><body>&lol2;</body>";
        assert_eq!(
            parse_frame(bomb),
            Err(XmlError::Forbidden("document type declarations"))
        );
        assert!(matches!(
            parse_frame("<body>&lol;</body>"),
            Err(XmlError::UnknownEntity(_))
        ));
        assert!(matches!(
            parse_frame("<body a='&lol;'/>"),
            Err(XmlError::UnknownEntity(_))
        ));
    }

    #[test]
    fn comments_and_pis_are_refused() {
        assert!(matches!(
            parse_frame("<a><!-- x --></a>"),
            Err(XmlError::Forbidden(_))
        ));
        assert!(matches!(
            parse_frame("<a><?pi x?></a>"),
            Err(XmlError::Forbidden(_))
        ));
    }

    #[test]
    fn malformed_frames_are_errors() {
        for bad in [
            "<a>",
            "<a></b>",
            "</a>",
            "<a/><b/>",
            "text<a/>",
            "<a b='1' b='2'/>",
            "<x:a/>",
            "<a x:b='1'/>",
            "<a>&#0;</a>",
            "<a>&#x1;</a>",
            "<a\u{0}/>",
            "<:/>",
            "<a:/>",
            "<a:b:c xmlns:a='x'/>",
            "<a :b='1'/>",
            "<<a/>",
        ] {
            assert!(parse_frame(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn namespace_declarations_are_bounded_and_resolved_without_walking_ancestors() {
        let many: String = (0..65).map(|i| format!(" xmlns:p{i}='x'")).collect();
        assert!(matches!(
            parse_frame(&format!("<a{many}/>")),
            Err(XmlError::Malformed(_))
        ));
        let wide = format!("<a xmlns='urn:x'>{}</a>", "<b/>".repeat(50_000));
        let el = parse(&wide).unwrap();
        assert!(el.elements().all(|b| b.ns == "urn:x"));
        let mixed = "<s:f xmlns:s='urn:s'><g/><h xmlns=''><i/></h></s:f>";
        let el = parse(mixed).unwrap();
        assert_eq!(el.ns, "urn:s");
        assert_eq!(
            el.get_child("g", "jabber:client").map(|g| g.name.as_str()),
            Some("g")
        );
        assert_eq!(
            el.get_child("h", "")
                .unwrap()
                .get_child("i", "")
                .map(|i| i.name.as_str()),
            Some("i")
        );
    }

    #[test]
    fn a_long_namespace_is_refused_and_a_shared_one_is_stored_once() {
        // The review's frame: a long namespace inherited by very many children. Copied into each
        // element it asked for gigabytes; now the URI is capped, and one within the cap is shared.
        let long = format!("urn:{}", "u".repeat(200_000));
        let bomb = format!(
            "<message><x xmlns='{long}'>{}</x></message>",
            "<a/>".repeat(200_000)
        );
        assert_eq!(parse_frame(&bomb), Err(XmlError::NamespaceTooLong));
        let prefixed = format!("<message xmlns:p='{long}'><p:x/></message>");
        assert_eq!(parse_frame(&prefixed), Err(XmlError::NamespaceTooLong));

        let uri = format!("urn:{}", "u".repeat(MAX_NAMESPACE_BYTES - 4));
        let wide = format!(
            "<message><x xmlns='{uri}'>{}</x></message>",
            "<a/>".repeat(50_000)
        );
        let el = parse(&wide).unwrap();
        let x = el.elements().next().unwrap();
        assert_eq!(x.ns.as_str(), uri);
        assert!(x.elements().all(|a| std::rc::Rc::ptr_eq(&a.ns.0, &x.ns.0)));
    }

    #[test]
    fn elements_per_frame_are_capped() {
        let many = format!("<message>{}</message>", "<a/>".repeat(MAX_ELEMENTS));
        assert_eq!(parse_frame(&many), Err(XmlError::TooManyElements));
        let fits = format!("<message>{}</message>", "<a/>".repeat(MAX_ELEMENTS - 1));
        assert_eq!(parse(&fits).unwrap().children.len(), MAX_ELEMENTS - 1);
    }

    #[test]
    fn documents_may_carry_comments_frames_may_not() {
        let doc =
            "<?xml version='1.0'?><!-- host-meta --><XRD xmlns='urn:x'><!-- a --><Link/></XRD>";
        assert!(parse_frame(doc).is_err());
        let el = parse_document(doc).unwrap().unwrap();
        assert!(el.has_child("Link", "urn:x"));
        assert!(parse_document("<!DOCTYPE x><x/>").is_err());
    }

    #[test]
    fn whitespace_frame_is_a_keepalive() {
        assert_eq!(parse_frame(" \r\n"), Ok(None));
        assert_eq!(parse_frame(""), Ok(None));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(
            parse_frame_bytes(b"<a>\xff\xfe</a>"),
            Err(XmlError::InvalidUtf8)
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_stack_overflow() {
        let deep = "<a>".repeat(100_000);
        assert_eq!(parse_frame(&deep), Err(XmlError::TooDeep));
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse_frame(&ok).is_ok());
    }

    #[test]
    fn a_megabyte_body_parses() {
        let body = "x".repeat(1 << 20);
        let el = parse(&format!("<message><body>{body}</body></message>")).unwrap();
        assert_eq!(
            el.get_child("body", "jabber:client")
                .unwrap()
                .text_content()
                .len(),
            1 << 20
        );
    }

    fn sliced(frame: &str, elements: usize) -> (Result<Option<Element>, XmlError>, usize) {
        let mut parse = SlicedFrame::new(frame.to_owned());
        let mut steps = 0;
        loop {
            steps += 1;
            match parse.step(elements) {
                Ok(Slice::More) => {}
                Ok(Slice::Done(el)) => return (Ok(el), steps),
                Err(e) => return (Err(e), steps),
            }
        }
    }

    #[test]
    fn a_frame_parsed_in_slices_is_the_frame_parsed_whole() {
        let mut roster = String::from("<iq type='result' id='r'><query xmlns='jabber:iq:roster'>");
        for i in 0..100 {
            roster.push_str(&format!(
                "<item jid='c{i}@example.org' name='A &amp; B {i}'><group>G</group></item>"
            ));
        }
        roster.push_str("</query></iq>");
        let whole = parse_frame(&roster);
        assert!(whole.is_ok());
        // 100 items and their groups, the query and the iq: 202 elements close.
        for (elements, steps) in [(1, 203), (7, 29), (50, 5), (10_000, 1)] {
            assert_eq!(
                sliced(&roster, elements),
                (whole.clone(), steps),
                "{elements}"
            );
        }
        assert_eq!(sliced("  ", 5), (Ok(None), 1));
    }

    #[test]
    fn slices_keep_the_rules_and_limits_of_a_whole_parse() {
        // The end tag that does not match comes in the second slice.
        let (result, steps) = sliced("<a><b/><c></d></a>", 1);
        assert!(matches!(result, Err(XmlError::Malformed(_))), "{result:?}");
        assert_eq!(steps, 2);
        assert_eq!(sliced("<a/><b/>", 1).0, Err(XmlError::NotOneElement));
        assert_eq!(sliced("<a><b/>", 1).0, parse_frame("<a><b/>"));
        assert_eq!(
            sliced("<a><b/><!DOCTYPE x></a>", 1).0,
            Err(XmlError::Forbidden("document type declarations"))
        );
        let many = format!("<a>{}</a>", "<b/>".repeat(MAX_ELEMENTS));
        assert_eq!(sliced(&many, 1000).0, Err(XmlError::TooManyElements));
        // Once it failed or finished, a step says so instead of starting over.
        let mut parse = SlicedFrame::new("<a></b>".into());
        assert!(parse.step(1).is_err());
        assert!(parse.step(1).is_err());
    }
}
