//! Figures for the protocol core at the sizes the issues name: a 20,000-contact roster, 10,000
//! presence updates and 10,000 messages through a logged-in session, plus frame parsing of large
//! bodies. Prints times; asserts nothing about them (the machine decides those).
//! Run: `cargo bench --bench core`.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use parley::xmpp::entropy::Entropy;
use parley::xmpp::jid::BareJid;
use parley::xmpp::xml::parse_frame;
use parley::xmpp::{ConnectionState, Event, Instant, Session, SessionConfig};
use std::time::Instant as Clock;
use zeroize::Zeroizing;

fn bound_session() -> Session {
    let mut entropy = [7u8; 32];
    entropy[..18].copy_from_slice(&BASE64.decode("fyko+d2lbbFgONRv9qkxdawL").unwrap());
    let mut config = SessionConfig::new(
        BareJid::new("user@localhost").unwrap(),
        Zeroizing::new("pencil".into()),
    );
    // A 20,000-item roster is about 2 MiB in one frame, over the 1 MiB default (config.json's
    // max_frame_bytes raises it for deployments with rosters that large).
    config.max_frame_bytes = 8 << 20;
    let mut s = Session::new(config, Entropy(entropy), Instant(0));
    let frames = [
        "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s' version='1.0'/>".to_owned(),
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>"
            .to_owned(),
        format!(
            "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</challenge>",
            BASE64.encode("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
        ),
        format!("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</success>", BASE64.encode("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")),
        "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s2' version='1.0'/>".to_owned(),
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>".to_owned(),
        "<iq type='result' id='0707070707070707-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>user@localhost/web</jid></bind></iq>".to_owned(),
    ];
    for f in &frames {
        s.handle_frame(f, Instant(0));
    }
    s
}

fn drain(s: &mut Session) -> usize {
    while s.poll_transmit().is_some() {}
    std::iter::from_fn(|| s.poll_event()).count()
}

fn report(what: &str, count: usize, bytes: usize, started: Clock) {
    let elapsed = started.elapsed();
    println!(
        "{what:<44} {count:>7} items {:>9.1} KiB {:>9.2} ms {:>8.2} us/item",
        bytes as f64 / 1024.0,
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / count as f64
    );
}

fn main() {
    println!("parley core benchmark (release build, one thread)");

    let contacts = 20_000;
    let mut roster =
        String::from("<iq type='result' id='0707070707070707-2'><query xmlns='jabber:iq:roster'>");
    for i in 0..contacts {
        roster.push_str(&format!(
            "<item jid='contact{i}@example.org' name='Contact number {i}' subscription='both'><group>Group {}</group></item>",
            i % 50
        ));
    }
    roster.push_str("</query></iq>");
    let mut session = bound_session();
    drain(&mut session);
    let started = Clock::now();
    session.handle_frame(&roster, Instant(1));
    let events = drain(&mut session);
    assert_eq!(session.state(), ConnectionState::Online);
    assert!(events >= 1);
    report("roster result, one frame", contacts, roster.len(), started);

    let presences: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                "<presence from='contact{}@example.org/res{}'><show>away</show><status>status {i}</status></presence>",
                i % contacts,
                i % 3
            )
        })
        .collect();
    let bytes = presences.iter().map(String::len).sum();
    let started = Clock::now();
    for p in &presences {
        session.handle_frame(p, Instant(2));
    }
    drain(&mut session);
    report("presence updates", presences.len(), bytes, started);

    let messages: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                "<message from='contact{}@example.org/x' type='chat' id='m{i}'><body>Message {i} with some \
                 ordinary text &amp; an entity, about the length of a chat line.</body>\
                 <origin-id xmlns='urn:xmpp:sid:0' id='o{i}'/></message>",
                i % 100
            )
        })
        .collect();
    let bytes = messages.iter().map(String::len).sum();
    let started = Clock::now();
    let mut delivered = 0;
    for m in &messages {
        session.handle_frame(m, Instant(3));
        delivered += std::iter::from_fn(|| session.poll_event())
            .filter(|e| matches!(e, Event::Message(_)))
            .count();
    }
    assert_eq!(delivered, messages.len());
    report("chat messages", messages.len(), bytes, started);

    let bob = BareJid::new("bob@example.org").unwrap();
    let started = Clock::now();
    for i in 0..10_000 {
        session
            .send_chat(
                &bob,
                &format!("outgoing message {i} <with> \"markup\" & entities"),
            )
            .unwrap();
    }
    let bytes: usize = std::iter::from_fn(|| session.poll_transmit())
        .map(|f| f.len())
        .sum();
    report(
        "outgoing messages built and escaped",
        10_000,
        bytes,
        started,
    );

    let body = "x".repeat(1 << 20);
    let frame =
        format!("<message from='bob@example.org/x' type='chat'><body>{body}</body></message>");
    let started = Clock::now();
    for _ in 0..10 {
        parse_frame(&frame).unwrap();
    }
    report("1 MiB body frame parsed", 10, frame.len() * 10, started);
}
