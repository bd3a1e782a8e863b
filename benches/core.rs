//! Figures for the protocol core at the sizes the issues name: a 20,000-contact roster, 10,000
//! presence updates and 10,000 messages through a logged-in client, frame parsing of large bodies
//! and of a namespace-heavy frame, and the UI's stores taking a 10,000-message flood. Prints
//! times; asserts nothing about them (the machine decides those).
//! Run: `cargo bench --bench core`.

use parley::store::directory::{Activity, Directory};
use parley::store::timeline::{Limits, Timeline};
use parley::store::window::HistoryWindow;
use parley::xmpp::jid::BareJid;
use parley::xmpp::xml::parse_frame;
use parley::xmpp::{ChatEvent, Client, ConnectionState, Event, Instant};
use parley::xmpp::{ChatMessage, Direction};
use std::time::Instant as Clock;
use zeroize::Zeroizing;

#[path = "../tests/support/mod.rs"]
mod support;

fn bound_session() -> Client {
    let mut config = support::config();
    // A 20,000-item roster is about 2 MiB in one frame, over the 1 MiB default (config.json's
    // max_frame_bytes raises it for deployments with rosters that large).
    config.max_frame_bytes = 8 << 20;
    let mut session = Client::new(
        config,
        Zeroizing::new("pencil".into()),
        support::entropy(),
        Instant(0),
    );
    for frame in support::frames_until_bound() {
        session.handle_frame(&frame, Instant(0));
    }
    session
}

fn drain(s: &mut Client) -> usize {
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
            .filter(|e| matches!(e, Event::Chat(ChatEvent::Message(_))))
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
                Instant(4),
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

    // The shape of the namespace bomb, within the caps: one 1 KiB namespace shared by 90,000
    // elements (a parser that copied it would need 90 MB here).
    let ns = format!("urn:{}", "u".repeat(1000));
    let frame = format!(
        "<message from='bob@example.org/x' type='chat'><x xmlns='{ns}'>{}</x></message>",
        "<a/>".repeat(90_000)
    );
    let started = Clock::now();
    parse_frame(&frame).unwrap();
    report(
        "1 KiB namespace, 90,000 children",
        90_000,
        frame.len(),
        started,
    );

    // What the UI does with a flood: the timeline, the chat list and the history window.
    let peers: Vec<BareJid> = (0..1_000)
        .map(|i| BareJid::new(&format!("peer{i}@example.org")).unwrap())
        .collect();
    let mut timeline = Timeline::new(Limits::CONTACT);
    let mut directory = Directory::default();
    let mut window = HistoryWindow::latest(0);
    let started = Clock::now();
    for i in 0..10_000 {
        let peer = &peers[i % peers.len()];
        timeline.push(
            ChatMessage {
                id: format!("m{i}"),
                peer: peer.clone(),
                direction: Direction::In,
                body: format!("message {i}"),
                sent_at: None,
            },
            i as i64,
        );
        directory.touch(peer, true, Activity::Incoming { unread: true }, None);
        window.update(timeline.len(), 0);
        let (start, end) = window.range();
        std::hint::black_box(timeline.slice(start, end).len());
    }
    report("flood into the stores (1,000 chats)", 10_000, 0, started);
}
