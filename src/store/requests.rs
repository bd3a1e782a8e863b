//! Subscription requests waiting for the person's answer (RFC 6121 §3.1.3), oldest first. The
//! core decides which requests to report (and caps them); this keeps them in order with a set
//! beside the list, so each arrival and answer costs one lookup, not a scan. A request keeps the
//! nickname it came with (XEP-0172 §4.1).

use crate::xmpp::jid::BareJid;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct SubscriptionRequests {
    order: Vec<BareJid>,
    /// Each request's nickname, if it came with one.
    present: HashMap<BareJid, Option<String>>,
}

impl SubscriptionRequests {
    pub fn add(&mut self, jid: BareJid, nick: Option<String>) {
        if self.present.insert(jid.clone(), nick).is_none() {
            self.order.push(jid);
        }
    }

    pub fn remove(&mut self, jid: &BareJid) {
        if self.present.remove(jid).is_some() {
            self.order.retain(|j| j != jid);
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Requests `[first, last)`, oldest first, each with its nickname.
    pub fn rows(&self, first: usize, last: usize) -> Vec<(BareJid, Option<String>)> {
        let last = last.min(self.order.len());
        self.order[first.min(last)..last]
            .iter()
            .map(|jid| (jid.clone(), self.present.get(jid).cloned().flatten()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_keep_their_order_and_show_once() {
        let mut r = SubscriptionRequests::default();
        for (name, nick) in [
            ("a@x", None),
            ("b@x", None),
            ("a@x", Some("A")),
            ("c@x", Some("C")),
        ] {
            r.add(BareJid::new(name).unwrap(), nick.map(str::to_owned));
        }
        r.remove(&BareJid::new("b@x").unwrap());
        let rows: Vec<_> = r
            .rows(0, 10)
            .into_iter()
            .map(|(j, nick)| format!("{j} {}", nick.unwrap_or_default()))
            .collect();
        assert_eq!(rows, ["a@x A", "c@x C"]);
        assert_eq!(r.rows(1, 2).len(), 1);
        assert_eq!(r.rows(5, 9).len(), 0);
    }
}
