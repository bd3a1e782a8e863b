//! The quick switcher (Ctrl+K): conversations, rooms and contacts matched by name or address and
//! ranked so the one a person means comes first: a name that starts with what was typed, then a
//! word of the name that does, then the address, then anything containing it; among equals the
//! conversation used most recently, then contacts online, then by name.

use crate::xmpp::jid::BareJid;

/// At most this many results are shown: the switcher is for jumping, not browsing.
pub const MAX_RESULTS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Chat,
    Room,
    Contact,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Candidate {
    pub jid: BareJid,
    /// Untrusted: rendered as text.
    pub name: String,
    pub kind: Kind,
    /// Position in the chat list (0 is the most recent), for conversations.
    pub recent: Option<usize>,
    pub online: bool,
}

/// How well a candidate matches; lower is better.
fn rank(candidate: &Candidate, query: &str) -> Option<u8> {
    let name = candidate.name.to_lowercase();
    let address = candidate.jid.as_str();
    if name.starts_with(query) {
        Some(0)
    } else if name
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(query))
    {
        Some(1)
    } else if address.starts_with(query) {
        Some(2)
    } else if name.contains(query) || address.contains(query) {
        Some(3)
    } else {
        None
    }
}

/// The best matches for `query`, each conversation or contact once (a contact with an open chat
/// shows as the chat). An empty query lists the most recent conversations.
pub fn matches(candidates: &[Candidate], query: &str) -> Vec<Candidate> {
    let query = query.trim().to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let mut ranked: Vec<(u8, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            if query.is_empty() {
                c.recent.map(|_| (0, c))
            } else {
                rank(c, &query).map(|r| (r, c))
            }
        })
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| {
                a.recent
                    .unwrap_or(usize::MAX)
                    .cmp(&b.recent.unwrap_or(usize::MAX))
            })
            .then_with(|| b.online.cmp(&a.online))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.jid.cmp(&b.jid))
    });
    ranked
        .into_iter()
        .filter(|(_, c)| seen.insert(c.jid.clone()))
        .map(|(_, c)| c.clone())
        .take(MAX_RESULTS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(
        jid: &str,
        name: &str,
        kind: Kind,
        recent: Option<usize>,
        online: bool,
    ) -> Candidate {
        Candidate {
            jid: BareJid::new(jid).unwrap(),
            name: name.into(),
            kind,
            recent,
            online,
        }
    }

    fn jids(found: &[Candidate]) -> Vec<&str> {
        found.iter().map(|c| c.jid.as_str()).collect()
    }

    #[test]
    fn a_name_that_starts_with_the_query_comes_before_one_that_contains_it() {
        let all = [
            candidate("mal@example.org", "Rosemary", Kind::Contact, None, true),
            candidate("m@example.org", "Mary Ann", Kind::Contact, None, false),
            candidate("ann@example.org", "Queen Mary", Kind::Contact, None, true),
            candidate("zed@example.org", "Zed", Kind::Contact, None, true),
        ];
        assert_eq!(
            jids(&matches(&all, " MAR")),
            ["m@example.org", "ann@example.org", "mal@example.org"]
        );
    }

    #[test]
    fn the_address_matches_too_and_recent_conversations_win_ties() {
        let all = [
            candidate("bob@example.org", "Robert", Kind::Contact, None, true),
            candidate("bobcat@example.org", "Cat", Kind::Chat, Some(3), false),
            candidate("bobby@example.org", "Bobby", Kind::Chat, Some(0), false),
            candidate(
                "builders@conference.example.org",
                "Bob's builders",
                Kind::Room,
                Some(1),
                false,
            ),
        ];
        assert_eq!(
            jids(&matches(&all, "bob")),
            [
                "bobby@example.org",
                "builders@conference.example.org",
                "bobcat@example.org",
                "bob@example.org"
            ]
        );
    }

    #[test]
    fn each_address_shows_once_and_an_empty_query_lists_recent_conversations() {
        let all = [
            candidate("bob@example.org", "Bob", Kind::Chat, Some(1), true),
            candidate("bob@example.org", "Bob", Kind::Contact, None, true),
            candidate("amy@example.org", "Amy", Kind::Chat, Some(0), true),
            candidate("cy@example.org", "Cy", Kind::Contact, None, true),
        ];
        let found = matches(&all, "bo");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, Kind::Chat);
        assert_eq!(
            jids(&matches(&all, "")),
            ["amy@example.org", "bob@example.org"]
        );
        assert!(matches(&all, "nobody").is_empty());
    }

    #[test]
    fn at_most_a_screenful_is_returned() {
        let all: Vec<Candidate> = (0..100)
            .map(|i| {
                candidate(
                    &format!("user{i}@example.org"),
                    &format!("User {i}"),
                    Kind::Contact,
                    None,
                    false,
                )
            })
            .collect();
        assert_eq!(matches(&all, "user").len(), MAX_RESULTS);
    }
}
