//! What the application asks of the roster, subscriptions and our own presence (RFC 6121
//! §2-§4); the protocol is in [`roster`](super::super::roster),
//! [`subscription`](super::super::subscription) and [`presence`](super::super::presence).

use super::super::blocking::Blocking;
use super::super::context::Instant;
use super::super::error::SendError;
use super::super::jid::{BareJid, Jid};
use super::super::presence::Availability;
use super::super::roster::Roster;
use super::super::stream::Stream;
use super::super::xml::{check_xml_text, Element};
use super::super::{caps, ns};
use super::Client;

impl Client {
    /// Changes our own presence (RFC 6121 §4.2). The status text is refused if XML cannot carry it.
    pub fn set_presence(
        &mut self,
        availability: Availability,
        status: Option<&str>,
        now: Instant,
    ) -> Result<(), SendError> {
        if let Some(s) = status {
            check_xml_text(s).map_err(SendError::InvalidText)?;
        }
        self.own_presence = (availability, status.map(str::to_owned));
        if self.ensure_online().is_ok() {
            self.send_own_presence(now);
        }
        Ok(())
    }

    /// RFC 6121 §2.3 and §3.1.1: puts `jid` in the roster (or renames it) and asks to see their
    /// presence. The server's roster push confirms it; a refusal is
    /// [`RosterEvent::ChangeFailed`].
    pub fn add_contact(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        let mut cx = cx!(self, now);
        self.roster.set(jid, name, &[], &mut cx)?;
        let nick = self.nicknames.in_request();
        self.subscriptions.asked(jid, nick, &mut cx);
        // Adding someone is wanting them to see us too: where the server keeps a pre-approval,
        // their request back is approved even if it comes while we are away.
        let pre_approval = self
            .stream
            .as_ref()
            .is_some_and(Stream::pre_approval_offered);
        if pre_approval && !self.roster.shares_presence_with(jid) {
            self.subscriptions.pre_approve(jid, &mut cx);
        }
        Ok(())
    }

    /// RFC 6121 §2.4: renames a contact, keeping its groups.
    pub fn rename_contact(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        let groups = self
            .roster
            .get(jid)
            .map(|item| item.groups.clone())
            .unwrap_or_default();
        self.roster.set(jid, name, &groups, &mut cx!(self, now))
    }

    /// RFC 6121 §2.1.2.4, §2.4: puts a contact in exactly `groups` (blank and repeated names
    /// dropped), keeping its name.
    pub fn set_contact_groups(
        &mut self,
        jid: &BareJid,
        groups: &[String],
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        let mut kept: Vec<String> = Vec::with_capacity(groups.len());
        for group in groups {
            let group = group.trim();
            if !group.is_empty() && !kept.iter().any(|g| g == group) {
                kept.push(group.to_owned());
            }
        }
        let name = self.roster.get(jid).and_then(|item| item.name.clone());
        self.roster
            .set(jid, name.as_deref(), &kept, &mut cx!(self, now))
    }

    /// RFC 6121 §2.5: removes a contact; the server cancels the subscriptions both ways.
    pub fn remove_contact(&mut self, jid: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.roster.remove(jid, &mut cx!(self, now))
    }

    /// RFC 6121 §3.1.4, §3.1.5: answers a subscription request (see [`Subscriptions`] for what
    /// approving also does).
    pub fn answer_subscription(
        &mut self,
        jid: &BareJid,
        approve: bool,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.subscriptions.answer(
            jid,
            approve,
            &self.roster,
            self.nicknames.in_request(),
            &mut cx!(self, now),
        )
    }

    /// XEP-0191 §3.3, §3.4: blocks or unblocks addresses. The server's push confirms it
    /// ([`BlockingEvent::List`](super::super::BlockingEvent::List)); a refusal is
    /// [`BlockingEvent::Failed`](super::super::BlockingEvent::Failed).
    pub fn set_blocked(
        &mut self,
        jids: Vec<Jid>,
        block: bool,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.blocking.change(jids, block, &mut cx!(self, now))
    }

    pub(super) fn send_own_presence(&mut self, now: Instant) {
        let presence = self.own_presence_stanza();
        cx!(self, now).send(&presence);
    }

    /// After the blocklist changed: what a blocked contact showed is forgotten, and presence
    /// flows again both ways with a contact it no longer covers. XEP-0191 §3.4 leaves that to
    /// the server, and Prosody 0.12 sends neither side anything, so the contact would look
    /// offline until its next change: our presence goes to them if they are subscribed to it,
    /// and a probe asks for theirs if we are subscribed to it (XEP-0318 §3 gives the case).
    pub(super) fn blocklist_changed(&mut self, before: Vec<BareJid>, now: Instant) {
        let mut cx = cx!(self, now);
        let blocking = &self.blocking;
        self.presence
            .forget_blocked(|j| blocking.blocks(j), &self.roster, &mut cx);
        let available = self.own_presence.0 != Availability::Unavailable;
        let presence = self.own_presence_stanza();
        let mut cx = cx!(self, now);
        for jid in before.iter().filter(|j| !self.blocking.blocks(j)) {
            let Some(item) = self.roster.get(jid) else {
                continue;
            };
            if available && self.roster.shares_presence_with(jid) {
                cx.send(&presence.clone().attr("to", jid.as_str()));
            }
            if item.subscription.is_following() {
                cx.send(
                    &Element::new("presence", ns::CLIENT)
                        .attr("to", jid.as_str())
                        .attr("type", "probe"),
                );
            }
        }
    }

    /// RFC 6121 §4.2: our show, status, photo hash and capabilities, as broadcast.
    fn own_presence_stanza(&self) -> Element {
        let (availability, status) = self.own_presence.clone();
        let mut presence = Element::new("presence", ns::CLIENT);
        if availability == Availability::Unavailable {
            // RFC 6121 §4.5: connected but unavailable; the server stops routing chats to us.
            presence = presence.attr("type", "unavailable");
        }
        if let Some(show) = availability.show_value() {
            presence = presence.text_child("show", ns::CLIENT, show);
        }
        if let Some(status) = status {
            presence = presence.text_child("status", ns::CLIENT, status);
        }
        // XEP-0153 §3.1: our photo's hash for clients that read only that (empty: none).
        if let Some(own) = self.avatars.own_hash() {
            let photo = Element::new("photo", ns::VCARD_UPDATE);
            let photo = match own {
                Some(hash) => photo.text(hash),
                None => photo,
            };
            presence = presence.child(Element::new("x", ns::VCARD_UPDATE).child(photo));
        }
        presence.child(caps::element())
    }
}

/// Roster contacts the blocklist covers; kept across a change to find who it unblocked.
pub(super) fn blocked_contacts(blocking: &Blocking, roster: &Roster) -> Vec<BareJid> {
    if blocking.is_empty() {
        return Vec::new();
    }
    roster
        .items()
        .map(|item| &item.jid)
        .filter(|jid| blocking.blocks(jid))
        .cloned()
        .collect()
}
