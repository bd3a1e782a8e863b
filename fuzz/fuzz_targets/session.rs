//! The client under hostile servers: the first byte picks how far a scripted,
//! valid login goes (none, stream open, SASL done, online); the rest is split at NUL bytes into
//! frames, fed with a moving clock and the odd outgoing message. Nothing may panic, and a closed
//! session must stay closed and silent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parley::xmpp::jid::BareJid;
use parley::xmpp::{Client, ConnectionState, Instant};
use zeroize::Zeroizing;

#[path = "../../tests/support/mod.rs"]
mod support;

fn script(stage: u8) -> Vec<String> {
    let mut all = support::frames_until_bound();
    all.push(format!("<iq type='result' id='{}'/>", support::ROSTER_ID));
    let take = match stage % 4 {
        0 => 0,
        1 => 2,
        2 => 4,
        _ => all.len(),
    };
    all.truncate(take);
    all
}

fuzz_target!(|data: &[u8]| {
    let Some((&stage, rest)) = data.split_first() else { return };
    let mut now = Instant(0);
    let mut session = Client::new(
        support::config(),
        Zeroizing::new("pencil".into()),
        support::entropy(),
        now,
    );
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
            let _ = session.send_chat(&bob, &text, now);
        }
        if was_closed {
            assert_eq!(session.state(), ConnectionState::Closed);
            assert!(session.poll_transmit().is_none(), "a closed session sends nothing");
        }
    }
});
