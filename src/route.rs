//! Where the person is in the app, as the address's fragment: `#/chat/<jid>`, `#/room/<jid>`,
//! `#/rooms` (the room browser), or nothing (the lists). The browser's Back and Forward move
//! between these, a reload returns to the same place, and a link can open a conversation.
//! Pure: the browser side (`ui::navigation`) reads and writes `location.hash`.

use crate::xmpp::jid::BareJid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Lists,
    Chat(BareJid),
    Room(BareJid),
    RoomBrowser,
}

impl Route {
    /// The fragment for this place, `#` included; the address is percent-encoded where it
    /// would otherwise end or change the fragment.
    pub fn to_hash(&self) -> String {
        match self {
            Self::Lists => "#/".to_owned(),
            Self::Chat(jid) => format!("#/chat/{}", encode(&jid.to_string())),
            Self::Room(jid) => format!("#/room/{}", encode(&jid.to_string())),
            Self::RoomBrowser => "#/rooms".to_owned(),
        }
    }

    /// Reads a fragment (with or without `#`). Anything unknown, or an address that does not
    /// parse as a person's or a room's, is the lists: a broken link opens the app, not an error.
    pub fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let address = |rest: &str| {
            decode(rest)
                .and_then(|a| BareJid::new(&a).ok())
                .filter(|jid| jid.node().is_some())
        };
        if path == "rooms" {
            return Self::RoomBrowser;
        }
        if let Some(jid) = path.strip_prefix("chat/").and_then(address) {
            return Self::Chat(jid);
        }
        if let Some(jid) = path.strip_prefix("room/").and_then(address) {
            return Self::Room(jid);
        }
        Self::Lists
    }

    pub fn conversation(&self) -> Option<&BareJid> {
        match self {
            Self::Chat(jid) | Self::Room(jid) => Some(jid),
            Self::Lists | Self::RoomBrowser => None,
        }
    }
}

/// Percent-encodes everything but unreserved characters and `@` (RFC 3986 §2.3), so that an
/// address reads as itself in the address bar.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).unwrap()
    }

    #[test]
    fn places_round_trip_through_the_fragment() {
        for route in [
            Route::Lists,
            Route::RoomBrowser,
            Route::Chat(jid("bob@localhost")),
            Route::Room(jid("lobby@conference.localhost")),
            Route::Chat(jid("ёжик@пример.рф")),
            Route::Chat(jid("a#b?c%d@example.org")),
        ] {
            assert_eq!(Route::parse(&route.to_hash()), route, "{}", route.to_hash());
        }
        assert_eq!(
            Route::Chat(jid("bob@localhost")).to_hash(),
            "#/chat/bob@localhost"
        );
    }

    #[test]
    fn anything_else_is_the_lists() {
        for hash in [
            "",
            "#",
            "#/",
            "#/chat/",
            "#/chat/localhost",
            "#/chat/%zz@x",
            "#/chat/%E2%82@x",
            "#/room/a@b/c",
            "#/unknown/bob@localhost",
        ] {
            assert_eq!(Route::parse(hash), Route::Lists, "{hash}");
        }
    }
}
