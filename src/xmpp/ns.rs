//! XML namespaces used by the core (RFC 6120, RFC 6121, RFC 7395 and the XEPs named).

pub const CLIENT: &str = "jabber:client";
pub const FRAMING: &str = "urn:ietf:params:xml:ns:xmpp-framing";
pub const STREAM: &str = "http://etherx.jabber.org/streams";
pub const STREAMS_ERR: &str = "urn:ietf:params:xml:ns:xmpp-streams";
pub const STANZAS_ERR: &str = "urn:ietf:params:xml:ns:xmpp-stanzas";
pub const SASL: &str = "urn:ietf:params:xml:ns:xmpp-sasl";
pub const BIND: &str = "urn:ietf:params:xml:ns:xmpp-bind";
pub const SESSION: &str = "urn:ietf:params:xml:ns:xmpp-session";
pub const ROSTER: &str = "jabber:iq:roster";
/// RFC 6121 §2.6.1: the stream feature of roster versioning.
pub const ROSTER_VER: &str = "urn:xmpp:features:rosterver";
/// RFC 6121 §3.4: subscription pre-approval.
pub const PRE_APPROVAL: &str = "urn:xmpp:features:pre-approval";
pub const DISCO_INFO: &str = "http://jabber.org/protocol/disco#info";
pub const PING: &str = "urn:xmpp:ping";
/// XEP-0198: Stream Management.
pub const SM: &str = "urn:xmpp:sm:3";
/// XEP-0359: Unique and Stable Stanza IDs.
pub const SID: &str = "urn:xmpp:sid:0";
/// XEP-0308: Last Message Correction.
pub const CORRECT: &str = "urn:xmpp:message-correct:0";
/// XEP-0085: Chat State Notifications.
pub const CHATSTATES: &str = "http://jabber.org/protocol/chatstates";
/// XEP-0280: Message Carbons.
pub const CARBONS: &str = "urn:xmpp:carbons:2";
/// XEP-0297: Stanza Forwarding.
pub const FORWARD: &str = "urn:xmpp:forward:0";
/// XEP-0313: Message Archive Management.
pub const MAM: &str = "urn:xmpp:mam:2";
/// XEP-0203: Delayed Delivery.
pub const DELAY: &str = "urn:xmpp:delay";
/// XEP-0334: Message Processing Hints.
pub const HINTS: &str = "urn:xmpp:hints";
/// XEP-0184: Message Delivery Receipts.
pub const RECEIPTS: &str = "urn:xmpp:receipts";
/// XEP-0333: Displayed Markers (was Chat Markers).
pub const MARKERS: &str = "urn:xmpp:chat-markers:0";
pub const DISCO_ITEMS: &str = "http://jabber.org/protocol/disco#items";
/// XEP-0004: Data Forms.
pub const DATA: &str = "jabber:x:data";
/// XEP-0059: Result Set Management.
pub const RSM: &str = "http://jabber.org/protocol/rsm";
/// XEP-0045: Multi-User Chat.
pub const MUC: &str = "http://jabber.org/protocol/muc";
pub const MUC_USER: &str = "http://jabber.org/protocol/muc#user";
pub const MUC_OWNER: &str = "http://jabber.org/protocol/muc#owner";
pub const MUC_ROOMINFO: &str = "http://jabber.org/protocol/muc#roominfo";
/// XEP-0249: Direct MUC Invitations.
pub const CONFERENCE: &str = "jabber:x:conference";
/// XEP-0060: Publish-Subscribe, as PEP (XEP-0163) uses it.
pub const PUBSUB: &str = "http://jabber.org/protocol/pubsub";
pub const PUBSUB_EVENT: &str = "http://jabber.org/protocol/pubsub#event";
/// XEP-0402: PEP Native Bookmarks.
pub const BOOKMARKS: &str = "urn:xmpp:bookmarks:1";
/// XEP-0049 private storage, holding XEP-0048 bookmarks where XEP-0402 is missing.
pub const PRIVATE: &str = "jabber:iq:private";
pub const BOOKMARKS_LEGACY: &str = "storage:bookmarks";
/// XEP-0191 blocking command.
pub const BLOCKING: &str = "urn:xmpp:blocking";
/// XEP-0077 in-band registration, and its stream feature.
pub const REGISTER: &str = "jabber:iq:register";
pub const REGISTER_FEATURE: &str = "http://jabber.org/features/iq-register";
/// XEP-0066 out-of-band data: where a server sends people to register instead.
pub const OOB: &str = "jabber:x:oob";
/// XEP-0221 media elements in data forms (CAPTCHA images).
pub const MEDIA: &str = "urn:xmpp:media-element";
/// XEP-0115 Entity Capabilities.
pub const CAPS: &str = "http://jabber.org/protocol/caps";
/// XEP-0084 User Avatar: the image, and what describes it.
pub const AVATAR_DATA: &str = "urn:xmpp:avatar:data";
pub const AVATAR_METADATA: &str = "urn:xmpp:avatar:metadata";
/// XEP-0054 vcard-temp, and the XEP-0153 avatar hash in presence.
pub const VCARD: &str = "vcard-temp";
/// XEP-0292: the PEP node, and RFC 6351's namespace of what it holds.
pub const VCARD4: &str = "urn:xmpp:vcard4";
pub const VCARD4_XML: &str = "urn:ietf:params:xml:ns:vcard-4.0";
pub const VCARD_UPDATE: &str = "vcard-temp:x:update";
/// XEP-0172 User Nickname.
pub const NICK: &str = "http://jabber.org/protocol/nick";
