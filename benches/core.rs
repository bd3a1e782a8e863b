//! Figures for the protocol core at the sizes the issues name: a 20,000-contact roster, 10,000
//! presence updates and 10,000 messages through a logged-in client, frame parsing of large bodies
//! and of a namespace-heavy frame, the UI's stores taking a 10,000-message flood, and rooms: a
//! 10,000-room list (whole and in 100 RSM pages) into the browser's store, a filter keystroke over
//! it, and entering a room of 500 occupants with its history. Prints times; asserts nothing about
//! them (the machine decides those). The browser adds rendering on top (see the closing notes).
//! Run: `cargo bench --bench core`.

use parley::store::directory::{Activity, Directory};
use parley::store::room::RoomStatus;
use parley::store::room_list::{RoomDetails, RoomList, RoomOrder};
use parley::store::roster_view::RosterView;
use parley::store::timeline::{Limits, Timeline};
use parley::store::window::HistoryWindow;
use parley::xmpp::jid::BareJid;
use parley::xmpp::xml::parse_frame;
use parley::xmpp::{ChatEvent, Client, ConnectionState, Event, Instant, RoomEvent};
use parley::xmpp::{ChatMessage, Direction, RosterItem, Subscription};
use std::time::{Duration, Instant as Clock};
use zeroize::Zeroizing;

#[path = "../tests/support/mod.rs"]
mod support;

fn bound_session() -> Client {
    let config = support::config();
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

/// The frame as the page feeds it: taken in, then one call per slice. Returns the number of
/// slices and the longest.
fn receive_in_slices(s: &mut Client, frame: &str, now: Instant) -> (usize, Duration) {
    s.handle_frame(frame, now);
    let (mut slices, mut longest) = (0, Duration::ZERO);
    while s.frames_waiting() {
        let started = Clock::now();
        s.continue_frames(now);
        slices += 1;
        longest = longest.max(started.elapsed());
    }
    (slices, longest)
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
    let (slices, longest) = receive_in_slices(&mut session, &roster, Instant(1));
    let events = drain(&mut session);
    assert_eq!(session.state(), ConnectionState::Online);
    assert!(events >= 1);
    report("roster result, one frame", contacts, roster.len(), started);
    println!(
        "{:<44} {slices:>7} slices, the longest {:.2} ms",
        "  parsed a slice at a time",
        longest.as_secs_f64() * 1e3
    );

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
                markable: true,
                archive_id: None,
                replaces: None,
            },
            i as i64,
        );
        directory.touch(peer, true, Activity::Incoming { unread: true }, None);
        window.update(timeline.len(), 0, 0);
        let (start, end) = window.range();
        std::hint::black_box(timeline.slice(start, end).len());
    }
    report("flood into the stores (1,000 chats)", 10_000, 0, started);

    roster_view();
    rooms(&mut session);
}

fn iq_id(frame: &str) -> String {
    let start = frame.find("id=\"").expect("an id") + 4;
    let len = frame[start..].find('"').expect("a closing quote");
    frame[start..start + len].to_owned()
}

fn sent_request(session: &mut Client) -> String {
    let frame = std::iter::from_fn(|| session.poll_transmit())
        .last()
        .expect("a request went out");
    iq_id(&frame)
}

fn rooms(session: &mut Client) {
    let service = BareJid::new("conference.example.org").unwrap();
    let item = |i: usize| {
        format!("<item jid='room{i:05}@conference.example.org' name='Room number {i:05} about things'/>")
    };
    let into_store = |session: &mut Client, list: &mut RoomList| {
        for event in std::iter::from_fn(|| session.poll_event()) {
            if let Event::Room(RoomEvent::ListPage {
                service,
                rooms,
                complete,
                count_hint,
            }) = event
            {
                list.page(&service, rooms, complete, count_hint);
            }
        }
    };

    // A service that answers with every room at once (Prosody).
    let mut list = RoomList::default();
    list.start(service.clone());
    session.list_rooms(&service, Instant(5)).unwrap();
    let id = sent_request(session);
    let reply = format!(
        "<iq type='result' from='conference.example.org' id='{id}'><query xmlns='http://jabber.org/protocol/disco#items'>{}</query></iq>",
        (0..10_000).map(item).collect::<String>()
    );
    let started = Clock::now();
    receive_in_slices(session, &reply, Instant(6));
    into_store(session, &mut list);
    let view = list.view("", RoomOrder::Name, &RoomDetails::default());
    assert_eq!(view.len(), 10_000);
    report(
        "10,000 rooms, one reply, into the store",
        10_000,
        reply.len(),
        started,
    );

    // A service that pages (ejabberd): 100 pages of 100.
    let mut list = RoomList::default();
    list.start(service.clone());
    session.list_rooms(&service, Instant(7)).unwrap();
    let started = Clock::now();
    let mut bytes = 0;
    for page in 0..100 {
        let id = sent_request(session);
        let first = page * 100;
        let reply = format!(
            "<iq type='result' from='conference.example.org' id='{id}'><query xmlns='http://jabber.org/protocol/disco#items'>{}\
             <set xmlns='http://jabber.org/protocol/rsm'><first>room{first:05}</first><last>room{:05}</last><count>10000</count></set></query></iq>",
            (first..first + 100).map(item).collect::<String>(),
            first + 99
        );
        bytes += reply.len();
        session.handle_frame(&reply, Instant(8));
        into_store(session, &mut list);
    }
    let id = sent_request(session);
    session.handle_frame(
        &format!("<iq type='result' from='conference.example.org' id='{id}'><query xmlns='http://jabber.org/protocol/disco#items'><set xmlns='http://jabber.org/protocol/rsm'><count>10000</count></set></query></iq>"),
        Instant(9),
    );
    into_store(session, &mut list);
    assert_eq!(list.len(), 10_000);
    report(
        "10,000 rooms in 100 RSM pages, into the store",
        10_000,
        bytes,
        started,
    );

    // Each keystroke of "number 012" recomputes the view over all 10,000.
    let typed = "number 012";
    let started = Clock::now();
    let mut matching = 0;
    for end in 1..=typed.len() {
        matching = list
            .view(&typed[..end], RoomOrder::Name, &RoomDetails::default())
            .len();
    }
    assert_eq!(matching, 100);
    report(
        "filter keystrokes over 10,000 rooms",
        typed.len(),
        0,
        started,
    );

    // Entering a room of 500 occupants, with 50 messages of history and the subject.
    let room = BareJid::new("big@conference.example.org").unwrap();
    session.join_room(&room, "user", None, Instant(10)).unwrap();
    let id = sent_request(session);
    session.handle_frame(
        &format!("<iq type='result' from='conference.example.org' id='{id}'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query></iq>"),
        Instant(11),
    );
    // Then the room's features (no archive: the room's own history replay).
    let id = sent_request(session);
    session.handle_frame(
        &format!("<iq type='result' from='big@conference.example.org' id='{id}'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query></iq>"),
        Instant(11),
    );
    while session.poll_transmit().is_some() {}
    let mut frames: Vec<String> = (0..500)
        .map(|i| format!("<presence from='big@conference.example.org/person {i}'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>"))
        .collect();
    frames.push("<presence from='big@conference.example.org/user'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' role='participant'/><status code='110'/></x></presence>".into());
    frames.extend((0..50).map(|i| format!("<message type='groupchat' from='big@conference.example.org/person {i}' id='h{i}'><body>history line {i}</body><delay xmlns='urn:xmpp:delay' stamp='2026-01-01T10:00:00Z'/></message>")));
    frames.push("<message type='groupchat' from='big@conference.example.org/person 1'><subject>The subject</subject></message>".into());
    let bytes = frames.iter().map(String::len).sum();
    let mut status = RoomStatus::new("user".into());
    let mut timeline = Timeline::new(Limits::CONTACT);
    let started = Clock::now();
    for frame in &frames {
        session.handle_frame(frame, Instant(12));
        for event in std::iter::from_fn(|| session.poll_event()) {
            match event {
                Event::Room(RoomEvent::Occupant { occupant, .. }) => status.upsert(occupant),
                Event::Room(RoomEvent::Message(m)) => {
                    timeline.push_room(m, 0);
                }
                Event::Room(RoomEvent::Subject { subject, .. }) => status.subject = subject,
                _ => {}
            }
        }
    }
    assert_eq!(status.occupant_count(), 501);
    assert_eq!(timeline.len(), 50);
    report(
        "room of 500 with 50 history, into the stores",
        frames.len(),
        bytes,
        started,
    );
}

/// The browser's side of a 10,000-contact login: the roster into the view, laid out under its
/// 26 groups, then one filter keystroke's layout.
fn roster_view() {
    let items: Vec<RosterItem> = (1..=10_000)
        .map(|i| RosterItem {
            jid: BareJid::new(&format!("member{i:05}@example.org")).unwrap(),
            name: Some(format!("Member {i:05}")),
            subscription: Subscription::Both,
            ask_pending: false,
            groups: std::iter::once(format!("Team {:02}", i % 25 + 1))
                .chain((i % 10 == 0).then(|| "Night shift".to_owned()))
                .collect(),
        })
        .collect();
    let mut view = RosterView::default();
    let started = Clock::now();
    view.load(items);
    report("10,000 contacts into the roster view", 10_000, 0, started);
    let collapsed = std::collections::HashSet::new();
    let started = Clock::now();
    let layout = view.layout("", &collapsed);
    assert_eq!(layout.contacts, 10_000);
    report(
        "10,000 contacts laid out in 26 groups",
        layout.rows.len(),
        0,
        started,
    );
    let started = Clock::now();
    let layout = view.layout("member 01", &collapsed);
    assert_eq!(layout.contacts, 1_000);
    report(
        "one filter keystroke over 10,000 contacts",
        layout.rows.len(),
        0,
        started,
    );
}
