//! A scripted server for driving the session without a network, shared by the native tests and
//! the benchmark: the RFC 5802 example exchange (user "user", password "pencil") and the frames of
//! a whole login. Each test crate uses part of it.
#![allow(dead_code)]

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use parley::xmpp::entropy::Entropy;
use parley::xmpp::jid::BareJid;
use parley::xmpp::{Client, ClientConfig, ConnectionState, Instant};
use zeroize::Zeroizing;

mod harness;
#[allow(unused_imports)]
pub use harness::Harness;

pub const CLIENT_NONCE: &str = "fyko+d2lbbFgONRv9qkxdawL";
pub const SERVER_FIRST: &str =
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
pub const CLIENT_FINAL: &str =
    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
pub const SERVER_FINAL: &str = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

pub const OPEN: &str =
    "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s1' version='1.0'/>";
pub const SASL_FEATURES: &str = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
    <mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>\
    <mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>";
/// Binding without XEP-0198: the tests of other protocols read the client's frames one by one,
/// and stream management would put its `<r/>` after each batch.
pub const BIND_FEATURES: &str = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
    <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";
/// Binding with XEP-0198 stream management offered.
pub const SM_BIND_FEATURES: &str =
    "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
    <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><sm xmlns='urn:xmpp:sm:3'/></stream:features>";
/// Stanza ids are `<hex of entropy[18..26]>-<n>`; [`entropy`] makes them these.
pub const BIND_ID: &str = "0707070707070707-1";
pub const ROSTER_ID: &str = "0707070707070707-2";

pub fn b64(s: &str) -> String {
    BASE64.encode(s)
}

/// Fixed entropy whose first 18 bytes are the RFC 5802 client nonce.
pub fn entropy() -> Entropy {
    let mut bytes = [7u8; 32];
    bytes[..18].copy_from_slice(&BASE64.decode(CLIENT_NONCE).expect("valid base64"));
    Entropy(bytes)
}

pub fn config() -> ClientConfig {
    ClientConfig::new(BareJid::new("user@localhost").expect("valid JID"))
}

pub fn challenge() -> String {
    format!(
        "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</challenge>",
        b64(SERVER_FIRST)
    )
}

pub fn success() -> String {
    format!(
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</success>",
        b64(SERVER_FINAL)
    )
}

pub fn bind_result(id: &str) -> String {
    format!(
        "<iq type='result' id='{id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
         <jid>user@localhost/web</jid></bind></iq>"
    )
}

/// The frames from the first `<open/>` to a bound resource, the roster request still open.
pub fn frames_until_bound() -> Vec<String> {
    vec![
        OPEN.to_owned(),
        SASL_FEATURES.to_owned(),
        challenge(),
        success(),
        OPEN.to_owned(),
        BIND_FEATURES.to_owned(),
        bind_result(BIND_ID),
    ]
}

/// A client that went through the whole login with an empty roster; its queues are drained.
pub fn online_client(config: ClientConfig) -> Client {
    let mut session = Client::new(
        config,
        Zeroizing::new("pencil".into()),
        entropy(),
        Instant(0),
    );
    for frame in frames_until_bound() {
        session.handle_frame(&frame, Instant(0));
    }
    session.handle_frame(&format!("<iq type='result' id='{ROSTER_ID}'/>"), Instant(0));
    assert_eq!(session.state(), ConnectionState::Online);
    while session.poll_transmit().is_some() {}
    while session.poll_event().is_some() {}
    session
}

/// A one-to-one message out of our own archive, answering query `queryid` (XEP-0313 §5).
pub fn chat_archive_result(queryid: &str, id: &str, from: &str, to: &str, body: &str) -> String {
    format!(
        "<message to='user@localhost/web'><result xmlns='urn:xmpp:mam:2' queryid='{queryid}' id='{id}'>\
         <forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2026-12-01T10:00:00Z'/>\
         <message xmlns='jabber:client' from='{from}' to='{to}' type='chat' id='{id}-m'><body>{body}</body></message>\
         </forwarded></result></message>"
    )
}
