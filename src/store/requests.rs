//! Subscription requests waiting for the person's answer (RFC 6121 §3.1.3), oldest first. The
//! core decides which requests to report (and caps them); this keeps them in order with a set
//! beside the list, so each arrival and answer costs one lookup, not a scan.

use crate::xmpp::jid::BareJid;
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct SubscriptionRequests {
    order: Vec<BareJid>,
    present: HashSet<BareJid>,
}

impl SubscriptionRequests {
    pub fn add(&mut self, jid: BareJid) {
        if self.present.insert(jid.clone()) {
            self.order.push(jid);
        }
    }

    pub fn remove(&mut self, jid: &BareJid) {
        if self.present.remove(jid) {
            self.order.retain(|j| j != jid);
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Requests `[first, last)`, oldest first.
    pub fn rows(&self, first: usize, last: usize) -> Vec<BareJid> {
        let last = last.min(self.order.len());
        self.order[first.min(last)..last].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_keep_their_order_and_show_once() {
        let mut r = SubscriptionRequests::default();
        for name in ["a@x", "b@x", "a@x", "c@x"] {
            r.add(BareJid::new(name).unwrap());
        }
        r.remove(&BareJid::new("b@x").unwrap());
        let rows: Vec<_> = r.rows(0, 10).into_iter().map(|j| j.to_string()).collect();
        assert_eq!(rows, ["a@x", "c@x"]);
        assert_eq!(r.rows(1, 2).len(), 1);
        assert_eq!(r.rows(5, 9).len(), 0);
    }
}
