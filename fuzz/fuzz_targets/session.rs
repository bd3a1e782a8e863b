//! The session state machine under hostile servers: the first byte picks how far a scripted,
//! valid login goes (none, stream open, SASL done, online); the rest is split at NUL bytes into
//! frames, fed with a moving clock and the odd outgoing message. Nothing may panic, and a closed
//! session must stay closed and silent.
#![no_main]

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use parley::xmpp::entropy::Entropy;
use parley::xmpp::jid::BareJid;
use parley::xmpp::{ConnectionState, Instant, Session, SessionConfig};
use zeroize::Zeroizing;

const NONCE: &str = "fyko+d2lbbFgONRv9qkxdawL";

fn script(stage: u8) -> Vec<String> {
    let open = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s' version='1.0'/>";
    let sasl = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
                xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>";
    let challenge = format!(
        "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</challenge>",
        BASE64.encode("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
    );
    let success = format!(
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</success>",
        BASE64.encode("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")
    );
    let bind = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
                <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";
    // Ids are "<hex of entropy[18..26]>-<n>": 07 bytes, so predictable here.
    let bound = "<iq type='result' id='0707070707070707-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
                 <jid>user@localhost/web</jid></bind></iq>";
    let roster = "<iq type='result' id='0707070707070707-2'><query xmlns='jabber:iq:roster'>\
                  <item jid='bob@localhost' subscription='both'/></query></iq>";
    let all = [open.to_owned(), sasl.to_owned(), challenge, success, open.to_owned(), bind.to_owned(), bound.to_owned(), roster.to_owned()];
    let take = match stage % 4 {
        0 => 0,
        1 => 2,
        2 => 4,
        _ => all.len(),
    };
    all[..take].to_vec()
}

fuzz_target!(|data: &[u8]| {
    let Some((&stage, rest)) = data.split_first() else { return };
    let mut entropy = [7u8; 32];
    entropy[..18].copy_from_slice(&BASE64.decode(NONCE).expect("valid base64"));
    let config = SessionConfig::new(BareJid::new("user@localhost").expect("valid JID"), Zeroizing::new("pencil".into()));
    let mut now = Instant(0);
    let mut session = Session::new(config, Entropy(entropy), now);
    for frame in script(stage) {
        session.handle_frame(&frame, now);
    }
    if stage % 4 == 3 {
        assert_eq!(session.state(), ConnectionState::Online);
    }
    let bob = BareJid::new("bob@localhost").expect("valid JID");
    for (i, chunk) in rest.split(|&b| b == 0).enumerate() {
        let was_closed = session.state() == ConnectionState::Closed;
        while session.poll_transmit().is_some() {}
        while session.poll_event().is_some() {}
        let text = String::from_utf8_lossy(chunk);
        session.handle_frame(&text, now);
        now = now.plus_ms((chunk.len() as u64) * 50);
        session.handle_timeout(now);
        if i % 3 == 0 {
            let _ = session.send_chat(&bob, &text);
        }
        if was_closed {
            assert_eq!(session.state(), ConnectionState::Closed);
            assert!(session.poll_transmit().is_none(), "a closed session sends nothing");
        }
    }
});
