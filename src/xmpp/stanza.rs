//! Typed frames: what one RFC 7395 WebSocket message can be.
//!
//! RFC 7395 §3.3 (`<open/>`, `<close/>`, `see-other-uri`), RFC 6120 §4.3 (stream features),
//! §4.9 (stream errors), §6.4 (SASL elements), §7 (bind), §8 (iq, message, presence) and §8.3
//! (stanza errors). Parsing is lenient where the RFCs allow (unknown children are kept in
//! `element`) and strict where a wrong value would mislead (an unparsable `from` is an error).

use super::jid::Jid;
use super::ns;
use super::xml::{self, Element, XmlError};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// RFC 7395 §3.4: the server's `<open/>`; its attributes tell the client nothing it uses.
    Open,
    Close(StreamClose),
    Features(StreamFeatures),
    StreamError(StreamError),
    Sasl(SaslFrame),
    Iq(Iq),
    Message(Message),
    Presence(Presence),
    /// XEP-0198 stream management: not a stanza, never counted.
    Sm(SmFrame),
    /// Anything else: logged and ignored.
    Unknown(Element),
}

/// XEP-0198 elements the server sends (§3, §4, §5). Counters are `xs:unsignedInt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmFrame {
    Enabled {
        /// Present when the server allows resumption (§5).
        id: Option<String>,
        resume: bool,
        /// The server's longest resumption time, in seconds.
        max_seconds: Option<u64>,
    },
    Resumed {
        h: u32,
        previd: String,
    },
    /// §6: enabling or resuming failed; `h` (since version 1.6) says what the server handled.
    Failed {
        h: Option<u32>,
        condition: String,
    },
    /// `<a h/>`: the server handled this many of our stanzas.
    Ack {
        h: u32,
    },
    /// `<r/>`: the server asks how many of its stanzas we handled.
    Request,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamClose {
    /// RFC 7395 §3.6.1: the server asks the client to reconnect elsewhere. Untrusted.
    pub see_other_uri: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamFeatures {
    pub mechanisms: Vec<String>,
    pub bind: bool,
    /// RFC 3921 session establishment, needed only when not marked `<optional/>`.
    pub session_required: bool,
    /// XEP-0198 stream management is offered.
    pub sm: bool,
    /// RFC 6121 §2.6: the roster can be asked for by version.
    pub roster_ver: bool,
    /// RFC 6121 §3.4: subscription requests can be approved before they arrive.
    pub pre_approval: bool,
    /// XEP-0077 §3: accounts can be created on this stream before login.
    pub register: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    pub condition: String,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaslFrame {
    /// Base64 text, already checked to be base64 by the mechanism that reads it.
    Challenge(String),
    Success(Option<String>),
    Failure {
        condition: String,
        text: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IqType {
    Get,
    Set,
    Result,
    Error,
}

impl IqType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Set => "set",
            Self::Result => "result",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iq {
    pub id: String,
    pub kind: IqType,
    pub from: Option<Jid>,
    pub to: Option<Jid>,
    /// The first child that is not `<error/>`.
    pub payload: Option<Element>,
    pub error: Option<StanzaError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Option<String>,
    pub kind: Option<String>,
    pub from: Option<Jid>,
    pub to: Option<Jid>,
    pub body: Option<String>,
    /// XEP-0359 origin id.
    pub origin_id: Option<String>,
    pub error: Option<StanzaError>,
    /// The whole stanza, for extensions read elsewhere.
    pub element: Element,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub kind: Option<String>,
    pub from: Option<Jid>,
    pub show: Option<String>,
    pub status: Option<String>,
    pub priority: i8,
    pub error: Option<StanzaError>,
    /// The whole stanza, for extensions read elsewhere (rooms).
    pub element: Element,
}

/// RFC 6120 §8.3: a stanza-level error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StanzaError {
    pub kind: String,
    pub condition: String,
    pub text: Option<String>,
}

impl StanzaError {
    pub fn new(kind: &str, condition: &str) -> Self {
        Self {
            kind: kind.to_owned(),
            condition: condition.to_owned(),
            text: None,
        }
    }

    /// An error reply without a condition we can read.
    pub fn undefined() -> Self {
        Self::new("cancel", "undefined-condition")
    }
}

impl fmt::Display for StanzaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => write!(f, "{} ({text})", self.condition),
            None => f.write_str(&self.condition),
        }
    }
}

/// Why a well-formed element is not a valid frame. Names the element and attribute at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    Xml(XmlError),
    MissingAttribute {
        element: &'static str,
        attribute: &'static str,
    },
    BadAttribute {
        element: &'static str,
        attribute: &'static str,
        value: String,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(e) => e.fmt(f),
            Self::MissingAttribute { element, attribute } => {
                write!(f, "<{element}/> without '{attribute}'")
            }
            Self::BadAttribute {
                element,
                attribute,
                value,
            } => {
                write!(f, "<{element}/> has an invalid '{attribute}': {value:?}")
            }
        }
    }
}

impl From<XmlError> for FrameError {
    fn from(e: XmlError) -> Self {
        Self::Xml(e)
    }
}

/// Parses one frame of text. `Ok(None)` is a whitespace keep-alive.
pub fn parse(frame: &str) -> Result<Option<Frame>, FrameError> {
    match xml::parse_frame(frame)? {
        Some(el) => Frame::try_from(el).map(Some),
        None => Ok(None),
    }
}

impl TryFrom<Element> for Frame {
    type Error = FrameError;

    fn try_from(el: Element) -> Result<Self, FrameError> {
        Ok(match (el.ns.as_str(), el.name.as_str()) {
            (ns::FRAMING, "open") => Frame::Open,
            (ns::FRAMING, "close") => Frame::Close(StreamClose {
                see_other_uri: el.get_attr("see-other-uri").map(str::to_owned),
            }),
            (ns::STREAM, "features") => Frame::Features(parse_features(&el)),
            (ns::STREAM, "error") => Frame::StreamError(parse_stream_error(&el)),
            (ns::SASL, "challenge") => {
                Frame::Sasl(SaslFrame::Challenge(el.text_content().trim().to_owned()))
            }
            (ns::SASL, "success") => {
                let text = el.text_content();
                let text = text.trim();
                Frame::Sasl(SaslFrame::Success(
                    (!text.is_empty() && text != "=").then(|| text.to_owned()),
                ))
            }
            (ns::SASL, "failure") => Frame::Sasl(SaslFrame::Failure {
                condition: el
                    .elements()
                    .find(|e| e.name != "text")
                    .map(|e| e.name.clone())
                    .unwrap_or_default(),
                text: el.get_child("text", ns::SASL).map(Element::text_content),
            }),
            (ns::CLIENT, "iq") => Frame::Iq(parse_iq(el)?),
            (ns::CLIENT, "message") => Frame::Message(parse_message(el)?),
            (ns::CLIENT, "presence") => Frame::Presence(parse_presence(el)?),
            (ns::SM, _) => match parse_sm(&el)? {
                Some(sm) => Frame::Sm(sm),
                None => Frame::Unknown(el),
            },
            _ => Frame::Unknown(el),
        })
    }
}

fn parse_features(el: &Element) -> StreamFeatures {
    let mechanisms = el
        .get_child("mechanisms", ns::SASL)
        .map(|m| {
            m.elements()
                .filter(|e| e.is("mechanism", ns::SASL))
                .map(|e| e.text_content().trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let session_required = el
        .get_child("session", ns::SESSION)
        .is_some_and(|s| !s.has_child("optional", ns::SESSION));
    StreamFeatures {
        mechanisms,
        bind: el.has_child("bind", ns::BIND),
        session_required,
        sm: el.has_child("sm", ns::SM),
        roster_ver: el.has_child("ver", ns::ROSTER_VER),
        pre_approval: el.has_child("sub", ns::PRE_APPROVAL),
        register: el.has_child("register", ns::REGISTER_FEATURE),
    }
}

fn parse_sm(el: &Element) -> Result<Option<SmFrame>, FrameError> {
    let counter = |attribute: &'static str| -> Result<Option<u32>, FrameError> {
        el.get_attr(attribute)
            .map(|v| {
                v.trim()
                    .parse::<u32>()
                    .map_err(|_| FrameError::BadAttribute {
                        element: "sm",
                        attribute,
                        value: v.chars().take(32).collect(),
                    })
            })
            .transpose()
    };
    let required = |value: Option<u32>| {
        value.ok_or(FrameError::MissingAttribute {
            element: "sm",
            attribute: "h",
        })
    };
    Ok(Some(match el.name.as_str() {
        "enabled" => SmFrame::Enabled {
            id: el.get_attr("id").map(str::to_owned),
            resume: matches!(el.get_attr("resume"), Some("true" | "1")),
            max_seconds: el.get_attr("max").and_then(|m| m.trim().parse().ok()),
        },
        "resumed" => SmFrame::Resumed {
            h: required(counter("h")?)?,
            previd: el.get_attr("previd").unwrap_or_default().to_owned(),
        },
        "failed" => SmFrame::Failed {
            h: counter("h")?,
            condition: el
                .elements()
                .find(|e| e.ns == ns::STANZAS_ERR && e.name != "text")
                .map(|e| e.name.clone())
                .unwrap_or_else(|| "undefined-condition".to_owned()),
        },
        "a" => SmFrame::Ack {
            h: required(counter("h")?)?,
        },
        "r" => SmFrame::Request,
        _ => return Ok(None),
    }))
}

fn parse_stream_error(el: &Element) -> StreamError {
    StreamError {
        condition: el
            .elements()
            .find(|e| e.ns == ns::STREAMS_ERR && e.name != "text")
            .map(|e| e.name.clone())
            .unwrap_or_else(|| "undefined-condition".to_owned()),
        text: el
            .get_child("text", ns::STREAMS_ERR)
            .map(Element::text_content),
    }
}

fn parse_stanza_error(el: &Element) -> Option<StanzaError> {
    let err = el.get_child("error", ns::CLIENT)?;
    Some(StanzaError {
        kind: err.get_attr("type").unwrap_or("cancel").to_owned(),
        condition: err
            .elements()
            .find(|e| e.ns == ns::STANZAS_ERR && e.name != "text")
            .map(|e| e.name.clone())
            .unwrap_or_else(|| "undefined-condition".to_owned()),
        text: err
            .get_child("text", ns::STANZAS_ERR)
            .map(Element::text_content),
    })
}

fn jid_attr(
    el: &Element,
    element: &'static str,
    attribute: &'static str,
) -> Result<Option<Jid>, FrameError> {
    match el.get_attr(attribute) {
        None => Ok(None),
        Some(v) => Jid::new(v).map(Some).map_err(|_| FrameError::BadAttribute {
            element,
            attribute,
            value: v.chars().take(64).collect(),
        }),
    }
}

fn parse_iq(mut el: Element) -> Result<Iq, FrameError> {
    let id = el
        .get_attr("id")
        .ok_or(FrameError::MissingAttribute {
            element: "iq",
            attribute: "id",
        })?
        .to_owned();
    let kind = match el.get_attr("type") {
        Some("get") => IqType::Get,
        Some("set") => IqType::Set,
        Some("result") => IqType::Result,
        Some("error") => IqType::Error,
        Some(other) => {
            return Err(FrameError::BadAttribute {
                element: "iq",
                attribute: "type",
                value: other.into(),
            })
        }
        None => {
            return Err(FrameError::MissingAttribute {
                element: "iq",
                attribute: "type",
            })
        }
    };
    let from = jid_attr(&el, "iq", "from")?;
    let to = jid_attr(&el, "iq", "to")?;
    let error = parse_stanza_error(&el);
    // Moved out, not copied: a payload can be a large tree (a roster, a room list).
    let payload = el
        .children
        .iter()
        .position(|n| matches!(n, xml::Node::Element(e) if !e.is("error", ns::CLIENT)))
        .and_then(|index| match el.children.swap_remove(index) {
            xml::Node::Element(e) => Some(e),
            xml::Node::Text(_) => None,
        });
    Ok(Iq {
        id,
        kind,
        from,
        to,
        payload,
        error,
    })
}

pub(crate) fn parse_message(el: Element) -> Result<Message, FrameError> {
    Ok(Message {
        id: el.get_attr("id").map(str::to_owned),
        kind: el.get_attr("type").map(str::to_owned),
        from: jid_attr(&el, "message", "from")?,
        to: jid_attr(&el, "message", "to")?,
        body: el.get_child("body", ns::CLIENT).map(Element::text_content),
        origin_id: el
            .get_child("origin-id", ns::SID)
            .and_then(|o| o.get_attr("id"))
            .map(str::to_owned),
        error: parse_stanza_error(&el),
        element: el,
    })
}

fn parse_presence(el: Element) -> Result<Presence, FrameError> {
    Ok(Presence {
        kind: el.get_attr("type").map(str::to_owned),
        from: jid_attr(&el, "presence", "from")?,
        show: el
            .get_child("show", ns::CLIENT)
            .map(|s| s.text_content().trim().to_owned()),
        status: el
            .get_child("status", ns::CLIENT)
            .map(Element::text_content),
        // RFC 6121 §4.7.2.3: an invalid priority is treated as 0.
        priority: el
            .get_child("priority", ns::CLIENT)
            .and_then(|p| p.text_content().trim().parse().ok())
            .unwrap_or(0),
        error: parse_stanza_error(&el),
        element: el,
    })
}

/// Outgoing frames. Every frame the client sends is built here or from an [`Element`] builder.
pub mod build {
    use super::super::ns;
    use super::super::xml::Element;
    use super::IqType;

    /// RFC 7395 §3.4.
    pub fn open(to: &str) -> Element {
        Element::new("open", ns::FRAMING)
            .attr("to", to)
            .attr("version", "1.0")
    }

    /// RFC 7395 §3.6.
    pub fn close() -> Element {
        Element::new("close", ns::FRAMING)
    }

    pub fn iq(kind: IqType, id: &str, to: Option<&str>, payload: Option<Element>) -> Element {
        let iq = Element::new("iq", ns::CLIENT)
            .attr("type", kind.as_str())
            .attr("id", id)
            .attr_opt("to", to);
        match payload {
            Some(p) => iq.child(p),
            None => iq,
        }
    }

    /// RFC 6120 §8.3: an error reply to a request we cannot or will not answer.
    pub fn iq_error(id: &str, to: Option<&str>, kind: &str, condition: &str) -> Element {
        let error = Element::new("error", ns::CLIENT)
            .attr("type", kind)
            .child(Element::new(condition, ns::STANZAS_ERR));
        iq(IqType::Error, id, to, Some(error))
    }

    pub fn bind(resource: Option<&str>) -> Element {
        let bind = Element::new("bind", ns::BIND);
        match resource {
            Some(r) => bind.text_child("resource", ns::BIND, r),
            None => bind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(s: &str) -> Frame {
        parse(s).unwrap().unwrap()
    }

    #[test]
    fn open_and_close_with_redirect() {
        let f = frame("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='abc' version='1.0'/>");
        assert_eq!(f, Frame::Open);
        let f = frame(
            "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing' see-other-uri='wss://other/ws'/>",
        );
        assert_eq!(
            f,
            Frame::Close(StreamClose {
                see_other_uri: Some("wss://other/ws".into())
            })
        );
    }

    #[test]
    fn features_parse() {
        let f = frame(
            "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
             <mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism>\
             <mechanism>PLAIN</mechanism></mechanisms><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>\
             <session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>\
             <sm xmlns='urn:xmpp:sm:3'/></stream:features>",
        );
        let Frame::Features(features) = f else {
            panic!("features expected")
        };
        assert_eq!(features.mechanisms, vec!["SCRAM-SHA-1", "PLAIN"]);
        assert!(features.bind && !features.session_required);
    }

    #[test]
    fn stream_and_sasl_errors_parse() {
        let f = frame(
            "<stream:error xmlns:stream='http://etherx.jabber.org/streams'>\
             <host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
             <text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no such host</text></stream:error>",
        );
        assert_eq!(
            f,
            Frame::StreamError(StreamError {
                condition: "host-unknown".into(),
                text: Some("no such host".into())
            })
        );
        let f =
            frame("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        assert_eq!(
            f,
            Frame::Sasl(SaslFrame::Failure {
                condition: "not-authorized".into(),
                text: None
            })
        );
    }

    #[test]
    fn stanzas_parse_with_errors_and_unknown_children() {
        let f = frame(
            "<message from='bob@localhost/x' type='error' id='m1'><body>hi</body>\
             <error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>\
             <whatever xmlns='urn:example:unknown'><deep/></whatever></message>",
        );
        let Frame::Message(m) = f else {
            panic!("message expected")
        };
        assert_eq!(m.error.unwrap().condition, "service-unavailable");
        assert_eq!(m.body.as_deref(), Some("hi"));
        assert!(m.element.has_child("whatever", "urn:example:unknown"));
    }

    #[test]
    fn bad_attributes_are_named() {
        assert_eq!(
            parse("<iq type='get'/>"),
            Err(FrameError::MissingAttribute {
                element: "iq",
                attribute: "id"
            })
        );
        assert!(matches!(
            parse("<message from='a@@b'/>"),
            Err(FrameError::BadAttribute {
                element: "message",
                attribute: "from",
                ..
            })
        ));
        assert!(matches!(
            parse("<iq id='1' type='boom'/>"),
            Err(FrameError::BadAttribute { .. })
        ));
    }

    #[test]
    fn unknown_namespaces_are_kept_not_fatal() {
        assert!(matches!(
            frame("<foo xmlns='urn:example'/>"),
            Frame::Unknown(_)
        ));
        assert!(matches!(
            frame("<message xmlns='jabber:server'/>"),
            Frame::Unknown(_)
        ));
    }

    #[test]
    fn builders_round_trip() {
        let iq = build::iq(IqType::Set, "b1", None, Some(build::bind(Some("parley"))));
        let xml = iq.to_xml().unwrap();
        assert_eq!(
            xml,
            "<iq xmlns=\"jabber:client\" type=\"set\" id=\"b1\"><bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\">\
             <resource>parley</resource></bind></iq>"
        );
        let Frame::Iq(parsed) = frame(&xml) else {
            panic!("iq expected")
        };
        assert_eq!(parsed.payload.unwrap(), build::bind(Some("parley")));
    }
}
