//! XEP-0115 caps, XEP-0084 avatars, XEP-0153 vCard hashes, XEP-0172 nicknames and XEP-0054
//! vCards against a scripted server: what we advertise, who may tell us about a face or a name,
//! what is fetched and when, the checks on the bytes, and our own vCard edited in place.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use parley::xmpp::avatar::{hash_of, MAX_AVATAR_BYTES};
use parley::xmpp::jid::BareJid;
use parley::xmpp::{AvatarEvent, CapsEvent, Event, NickEvent, Refusal, VCardEvent, VCardField};
use support::Harness;

/// The smallest PNG anyone would send: the signature and an IHDR.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn bob() -> BareJid {
    BareJid::new("bob@localhost").unwrap()
}

fn avatar_events(events: Vec<Event>) -> Vec<AvatarEvent> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Avatar(a) => Some(a),
            _ => None,
        })
        .collect()
}

fn metadata_from(h: &mut Harness, from: &str, info: &str) {
    h.server(&format!(
        "<message from='{from}' to='user@localhost/web' type='headline'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='urn:xmpp:avatar:metadata'><item id='x'>\
         <metadata xmlns='urn:xmpp:avatar:metadata'>{info}</metadata></item></items></event></message>"
    ));
}

fn png_info(hash: &str, bytes: usize) -> String {
    format!("<info id='{hash}' bytes='{bytes}' type='image/png' width='1' height='1'/>")
}

/// The data request the client sent, and its id.
fn data_request(h: &mut Harness) -> String {
    let sent = h.sent();
    let request = sent
        .iter()
        .find(|f| f.contains("urn:xmpp:avatar:data"))
        .expect("the image is asked for")
        .clone();
    assert!(request.contains("to=\"bob@localhost\""), "{request}");
    Harness::id_of(&request)
}

fn answer_data(h: &mut Harness, id: &str, hash: &str, bytes: &[u8]) {
    h.server(&format!(
        "<iq type='result' id='{id}' from='bob@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <items node='urn:xmpp:avatar:data'><item id='{hash}'>\
         <data xmlns='urn:xmpp:avatar:data'>{}</data></item></items></pubsub></iq>",
        BASE64.encode(bytes)
    ));
}

#[test]
fn own_presence_advertises_caps_and_disco_answers_its_node() {
    let (mut h, roster) = Harness::bound();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    let sent = h.sent();
    let presence = sent.iter().find(|f| f.starts_with("<presence")).unwrap();
    assert!(
        presence.contains("<c xmlns=\"http://jabber.org/protocol/caps\""),
        "{presence}"
    );
    let ver = parley::xmpp::caps::own_ver();
    assert!(presence.contains(&ver), "{presence}");
    // The server's PEP asks what the hash stands for (XEP-0115 §6.2).
    let node = format!("{}#{ver}", parley::xmpp::caps::NODE);
    h.server(&format!(
        "<iq type='get' id='d1' from='localhost' to='user@localhost/web'>\
         <query xmlns='http://jabber.org/protocol/disco#info' node='{node}'/></iq>"
    ));
    let answer = h.sent().pop().unwrap();
    assert!(answer.contains(&node), "{answer}");
    assert!(
        answer.contains("urn:xmpp:avatar:metadata+notify"),
        "{answer}"
    );
}

#[test]
fn contact_avatar_is_announced_then_fetched_checked_and_loaded() {
    let mut h = Harness::online();
    let hash = hash_of(PNG);
    metadata_from(&mut h, "bob@localhost", &png_info(&hash, PNG.len()));
    assert_eq!(
        avatar_events(h.events()),
        vec![AvatarEvent::Changed {
            jid: bob(),
            hash: Some(hash.clone())
        }]
    );
    // Nothing is fetched until the application asks (the face came into view).
    assert!(h.sent().is_empty());
    assert!(h.client.fetch_avatar(&bob(), h.now));
    let id = data_request(&mut h);
    // Asked once while it is coming.
    assert!(!h.client.fetch_avatar(&bob(), h.now));
    answer_data(&mut h, &id, &hash, PNG);
    assert_eq!(
        avatar_events(h.events()),
        vec![AvatarEvent::Loaded {
            jid: bob(),
            hash,
            mime: "image/png",
            bytes: PNG.to_vec()
        }]
    );
}

#[test]
fn avatars_from_strangers_are_ignored() {
    let mut h = Harness::online();
    metadata_from(&mut h, "mallory@evil.example", &png_info(&hash_of(PNG), 10));
    assert!(avatar_events(h.events()).is_empty());
    assert!(!h
        .client
        .fetch_avatar(&BareJid::new("mallory@evil.example").unwrap(), h.now));
}

#[test]
fn empty_metadata_means_no_avatar() {
    let mut h = Harness::online();
    metadata_from(&mut h, "bob@localhost", &png_info(&hash_of(PNG), 10));
    metadata_from(&mut h, "bob@localhost", "");
    assert_eq!(
        avatar_events(h.events()).pop(),
        Some(AvatarEvent::Changed {
            jid: bob(),
            hash: None
        })
    );
    assert!(!h.client.fetch_avatar(&bob(), h.now));
}

#[test]
fn an_image_announced_as_50_mb_is_refused_without_asking() {
    let mut h = Harness::online();
    let hash = hash_of(PNG);
    metadata_from(&mut h, "bob@localhost", &png_info(&hash, 50 << 20));
    h.events();
    assert!(!h.client.fetch_avatar(&bob(), h.now));
    assert!(h.sent().is_empty());
    assert_eq!(
        avatar_events(h.events()),
        vec![AvatarEvent::Refused {
            jid: bob(),
            hash,
            reason: Refusal::TooLarge
        }]
    );
}

fn refusal_for(announced: &str, sent: &[u8]) -> Refusal {
    let mut h = Harness::online();
    metadata_from(&mut h, "bob@localhost", &png_info(announced, 10));
    h.events();
    assert!(h.client.fetch_avatar(&bob(), h.now));
    let id = data_request(&mut h);
    answer_data(&mut h, &id, announced, sent);
    match avatar_events(h.events()).pop() {
        Some(AvatarEvent::Refused { reason, .. }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn bytes_that_are_not_an_image_are_refused() {
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
    assert_eq!(refusal_for(&hash_of(svg), svg), Refusal::NotAnImage);
}

#[test]
fn bytes_that_do_not_match_their_hash_are_refused() {
    assert_eq!(refusal_for(&hash_of(b"other"), PNG), Refusal::WrongHash);
}

#[test]
fn an_image_larger_than_announced_is_refused() {
    let mut big = PNG.to_vec();
    big.resize(MAX_AVATAR_BYTES + 1, 0);
    assert_eq!(refusal_for(&hash_of(&big), &big), Refusal::TooLarge);
}

#[test]
fn an_answer_from_someone_else_is_not_taken() {
    let mut h = Harness::online();
    let hash = hash_of(PNG);
    metadata_from(&mut h, "bob@localhost", &png_info(&hash, PNG.len()));
    h.events();
    h.client.fetch_avatar(&bob(), h.now);
    let id = data_request(&mut h);
    h.server(&format!(
        "<iq type='result' id='{id}' from='carol@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'/></iq>"
    ));
    assert!(avatar_events(h.events()).is_empty());
}

#[test]
fn a_vcard_photo_hash_in_presence_is_fetched_from_the_vcard() {
    let mut h = Harness::online();
    let hash = hash_of(PNG);
    h.server(&format!(
        "<presence from='bob@localhost/old'><x xmlns='vcard-temp:x:update'><photo>{hash}</photo></x></presence>"
    ));
    assert!(avatar_events(h.events()).contains(&AvatarEvent::Changed {
        jid: bob(),
        hash: Some(hash.clone())
    }));
    assert!(h.client.fetch_avatar(&bob(), h.now));
    let request = h.sent().pop().unwrap();
    assert!(request.contains("<vCard xmlns=\"vcard-temp\""), "{request}");
    h.server(&format!(
        "<iq type='result' id='{}' from='bob@localhost'><vCard xmlns='vcard-temp'>\
         <PHOTO><TYPE>image/png</TYPE><BINVAL>\n{}\n</BINVAL></PHOTO></vCard></iq>",
        Harness::id_of(&request),
        BASE64.encode(PNG)
    ));
    assert!(matches!(
        avatar_events(h.events()).pop(),
        Some(AvatarEvent::Loaded {
            mime: "image/png",
            ..
        })
    ));
}

#[test]
fn publishing_sends_data_then_metadata_then_the_hash_in_presence() {
    let mut h = Harness::online();
    assert!(h
        .client
        .publish_avatar(b"not an image", 1, 1, h.now)
        .is_err());
    h.client.publish_avatar(PNG, 1, 1, h.now).unwrap();
    let hash = hash_of(PNG);
    let data = h.sent().pop().unwrap();
    assert!(
        data.contains("<publish node=\"urn:xmpp:avatar:data\""),
        "{data}"
    );
    assert!(data.contains(&BASE64.encode(PNG)), "{data}");
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&data)
    ));
    let metadata = h.sent().pop().unwrap();
    assert!(
        metadata.contains("<publish node=\"urn:xmpp:avatar:metadata\""),
        "{metadata}"
    );
    assert!(metadata.contains(&format!("id=\"{hash}\"")), "{metadata}");
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&metadata)
    ));
    assert_eq!(
        avatar_events(h.events()),
        vec![AvatarEvent::Published { hash: hash.clone() }]
    );
    let presence = h.sent().pop().unwrap();
    assert!(
        presence.contains(&format!("<photo>{hash}</photo>")),
        "{presence}"
    );
}

fn nick_from(h: &mut Harness, from: &str, nick: &str) -> Vec<NickEvent> {
    h.server(&format!(
        "<message from='{from}' to='user@localhost/web' type='headline'>\
         <event xmlns='http://jabber.org/protocol/pubsub#event'>\
         <items node='http://jabber.org/protocol/nick'><item id='current'>\
         <nick xmlns='http://jabber.org/protocol/nick'>{nick}</nick></item></items></event></message>"
    ));
    h.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Nick(n) => Some(n),
            _ => None,
        })
        .collect()
}

#[test]
fn a_contacts_nickname_is_taken_trimmed_and_cut_a_strangers_is_not() {
    let mut h = Harness::online();
    assert_eq!(
        nick_from(&mut h, "bob@localhost", "  Robert  "),
        vec![NickEvent::Changed {
            jid: bob(),
            nick: Some("Robert".into())
        }]
    );
    let long = "x".repeat(500);
    match nick_from(&mut h, "bob@localhost", &long).pop() {
        Some(NickEvent::Changed { nick: Some(n), .. }) => assert_eq!(n.chars().count(), 64),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        nick_from(&mut h, "bob@localhost", " "),
        vec![NickEvent::Changed {
            jid: bob(),
            nick: None
        }]
    );
    assert!(nick_from(&mut h, "mallory@evil.example", "Bob").is_empty());
}

#[test]
fn our_nickname_is_published_to_our_pep_node() {
    let mut h = Harness::online();
    h.client.set_nickname(Some(" Me & you "), h.now).unwrap();
    let publish = h.sent().pop().unwrap();
    assert!(
        publish.contains("<publish node=\"http://jabber.org/protocol/nick\">"),
        "{publish}"
    );
    assert!(publish.contains(">Me &amp; you</nick>"), "{publish}");
    assert!(!publish.contains(" to="), "our own PEP service: {publish}");
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&publish)
    ));
    assert!(h.events().contains(&Event::Nick(NickEvent::Published)));
}

/// The server answers `request` with `iq`, given without its id.
fn answer(h: &mut Harness, request: &str, iq: &str) {
    let id = format!("<iq id='{}' ", Harness::id_of(request));
    h.server(&iq.replacen("<iq ", &id, 1));
}

/// An error answer from `from` (none: our own server) with a stanza error condition.
fn error_iq(from: &str, kind: &str, condition: &str) -> String {
    let from = if from.is_empty() {
        String::new()
    } else {
        format!(" from='{from}'")
    };
    format!(
        "<iq type='error'{from}><error type='{kind}'>\
         <{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
    )
}

fn vcard_events(events: Vec<Event>) -> Vec<VCardEvent> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::VCard(v) => Some(v),
            _ => None,
        })
        .collect()
}

#[test]
fn a_contacts_vcard_is_read_in_order_or_said_to_be_unavailable() {
    let mut h = Harness::online();
    h.client.fetch_vcard(&bob(), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    assert!(
        request.contains("to=\"bob@localhost\"")
            && request.contains("<vCard xmlns=\"vcard-temp\"/>"),
        "{request}"
    );
    answer(
        &mut h,
        &request,
        "<iq type='result' from='bob@localhost'><vCard xmlns='vcard-temp'>\
         <DESC>Builds things</DESC><EMAIL><INTERNET/><USERID> bob@example.org </USERID></EMAIL>\
         <FN>Bob the Builder</FN><PHOTO><BINVAL>AAAA</BINVAL></PHOTO></vCard></iq>",
    );
    assert_eq!(
        vcard_events(h.events()),
        [VCardEvent::Loaded {
            jid: bob(),
            fields: vec![
                (VCardField::FullName, "Bob the Builder".into()),
                (VCardField::Email, "bob@example.org".into()),
                (VCardField::Description, "Builds things".into()),
            ]
        }]
    );

    // vcard-temp says nothing: XEP-0292's node is read next, and fails too.
    h.client.fetch_vcard(&bob(), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    answer(
        &mut h,
        &request,
        &error_iq("bob@localhost", "cancel", "item-not-found"),
    );
    let pep = h.sent().pop().unwrap();
    assert!(
        pep.contains("to=\"bob@localhost\"")
            && pep.contains("<items node=\"urn:xmpp:vcard4\" max_items=\"1\"/>"),
        "{pep}"
    );
    assert!(vcard_events(h.events()).is_empty());
    answer(
        &mut h,
        &pep,
        &error_iq("bob@localhost", "cancel", "feature-not-implemented"),
    );
    assert!(matches!(
        vcard_events(h.events()).as_slice(),
        [VCardEvent::Unavailable { jid, error }] if *jid == bob() && error.condition == "item-not-found"
    ));
}

#[test]
fn a_vcard4_only_contact_is_read_from_their_pep_node() {
    let mut h = Harness::online();
    h.client.fetch_vcard(&bob(), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    answer(
        &mut h,
        &request,
        "<iq type='result' from='bob@localhost'><vCard xmlns='vcard-temp'/></iq>",
    );
    let pep = h.sent().pop().unwrap();
    answer(
        &mut h,
        &pep,
        "<iq type='result' from='bob@localhost'>\
         <pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:vcard4'>\
         <item id='current'><vcard xmlns='urn:ietf:params:xml:ns:vcard-4.0'>\
         <note><text>Builds &amp; fixes</text></note>\
         <fn><text>Bob the Builder</text></fn>\
         <tel><parameters><type><text>cell</text></type></parameters><uri>tel:+33-1-23</uri></tel>\
         <email><text>bob@example.org</text></email>\
         <adr><locality>Lyon</locality><country>France</country></adr>\
         <bday><date>1970-01-01</date></bday>\
         </vcard></item></items></pubsub></iq>",
    );
    assert_eq!(
        vcard_events(h.events()),
        [VCardEvent::Loaded {
            jid: bob(),
            fields: vec![
                (VCardField::FullName, "Bob the Builder".into()),
                (VCardField::Email, "bob@example.org".into()),
                (VCardField::Phone, "+33-1-23".into()),
                (VCardField::Birthday, "1970-01-01".into()),
                (VCardField::Locality, "Lyon".into()),
                (VCardField::Country, "France".into()),
                (VCardField::Description, "Builds & fixes".into()),
            ]
        }]
    );

    // Neither has anything: none published, which is not an error.
    h.client.fetch_vcard(&bob(), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    answer(&mut h, &request, "<iq type='result' from='bob@localhost'/>");
    let pep = h.sent().pop().unwrap();
    answer(
        &mut h,
        &pep,
        "<iq type='result' from='bob@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>\
         <items node='urn:xmpp:vcard4'/></pubsub></iq>",
    );
    assert_eq!(
        vcard_events(h.events()),
        [VCardEvent::Loaded {
            jid: bob(),
            fields: Vec::new()
        }]
    );
}

#[test]
fn our_vcard_is_edited_in_place_keeping_the_photo_and_what_is_not_edited() {
    let mut h = Harness::online();
    h.client
        .save_own_vcard(
            vec![
                (VCardField::FullName, "  Ann <Example>  ".into()),
                (VCardField::Email, "ann@new.example".into()),
                (VCardField::Locality, "Lyon".into()),
                (VCardField::Title, String::new()),
            ],
            h.now,
        )
        .unwrap();
    let read = h.sent().pop().unwrap();
    assert!(
        read.contains("type=\"get\"") && !read.contains(" to="),
        "{read}"
    );
    answer(
        &mut h,
        &read,
        "<iq type='result'><vCard xmlns='vcard-temp'>\
         <FN>Ann</FN><TITLE>Boss</TITLE>\
         <EMAIL><WORK/><INTERNET/><USERID>ann@old.example</USERID></EMAIL>\
         <EMAIL><HOME/><INTERNET/><USERID>ann@home.example</USERID></EMAIL>\
         <PHOTO><TYPE>image/png</TYPE><BINVAL>AAAA</BINVAL></PHOTO></vCard></iq>",
    );
    let write = h.sent().pop().unwrap();
    assert!(write.contains("type=\"set\""), "{write}");
    for kept in [
        "<FN>Ann &lt;Example&gt;</FN>",
        "<EMAIL><WORK/><INTERNET/><USERID>ann@new.example</USERID></EMAIL>",
        "<EMAIL><HOME/><INTERNET/><USERID>ann@home.example</USERID></EMAIL>",
        "<PHOTO><TYPE>image/png</TYPE><BINVAL>AAAA</BINVAL></PHOTO>",
        "<ADR><LOCALITY>Lyon</LOCALITY></ADR>",
    ] {
        assert!(write.contains(kept), "{kept} in {write}");
    }
    assert!(
        !write.contains("TITLE") && !write.contains("old.example"),
        "{write}"
    );
    answer(&mut h, &write, "<iq type='result'/>");
    assert_eq!(vcard_events(h.events()), [VCardEvent::Saved]);
}

#[test]
fn a_first_vcard_is_made_and_a_refusal_is_reported() {
    let mut h = Harness::online();
    h.client
        .save_own_vcard(vec![(VCardField::Phone, "+33 1 23".into())], h.now)
        .unwrap();
    let read = h.sent().pop().unwrap();
    answer(&mut h, &read, &error_iq("", "cancel", "item-not-found"));
    let write = h.sent().pop().unwrap();
    assert!(
        write.contains(
            "<vCard xmlns=\"vcard-temp\"><TEL><VOICE/><NUMBER>+33 1 23</NUMBER></TEL></vCard>"
        ),
        "{write}"
    );
    answer(&mut h, &write, &error_iq("", "modify", "not-acceptable"));
    assert!(matches!(
        vcard_events(h.events()).as_slice(),
        [VCardEvent::SaveFailed(e)] if e.condition == "not-acceptable"
    ));
    assert!(h
        .client
        .save_own_vcard(vec![(VCardField::FullName, "bell \u{7}".into())], h.now)
        .is_err());
}

fn clients(events: Vec<Event>) -> Vec<(String, Option<String>, bool)> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Caps(CapsEvent::Client {
                jid,
                client,
                corrects,
            }) => Some((jid.to_string(), client, corrects)),
            _ => None,
        })
        .collect()
}

const EXODUS: &str = "<query xmlns='http://jabber.org/protocol/disco#info' \
     node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>\
     <identity category='client' name='Exodus 0.9.1' type='pc'/>\
     <feature var='http://jabber.org/protocol/caps'/>\
     <feature var='http://jabber.org/protocol/disco#info'/>\
     <feature var='http://jabber.org/protocol/disco#items'/>\
     <feature var='http://jabber.org/protocol/muc'/></query>";

fn caps_presence(from: &str, ver: &str) -> String {
    format!(
        "<presence from='{from}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' \
         node='http://code.google.com/p/exodus' ver='{ver}'/></presence>"
    )
}

#[test]
fn a_contacts_capabilities_are_asked_once_per_version_and_kept_only_if_they_verify() {
    let mut h = Harness::online();
    let ver = "QgayPKawpkPSDYmwT/WM94uAlu0=";
    h.server(&caps_presence("bob@localhost/phone", ver));
    let query = h
        .sent()
        .into_iter()
        .find(|f| f.contains("disco#info"))
        .expect("the version is asked about");
    assert!(
        query.contains("to=\"bob@localhost/phone\"")
            && query.contains(&format!("node=\"http://code.google.com/p/exodus#{ver}\"")),
        "{query}"
    );
    answer(
        &mut h,
        &query,
        &format!("<iq type='result' from='bob@localhost/phone'>{EXODUS}</iq>"),
    );
    assert_eq!(
        clients(h.events()),
        [(
            "bob@localhost/phone".into(),
            Some("Exodus 0.9.1".into()),
            false
        )]
    );

    // Another resource with the same version: known, not asked.
    h.server(&caps_presence("bob@localhost/laptop", ver));
    assert!(!h.sent().iter().any(|f| f.contains("disco#info")));
    assert_eq!(
        clients(h.events()),
        [(
            "bob@localhost/laptop".into(),
            Some("Exodus 0.9.1".into()),
            false
        )]
    );

    // An answer that does not hash to its version is not kept, and not asked again.
    h.server(&caps_presence("bob@localhost/tablet", "forged="));
    let query = h
        .sent()
        .into_iter()
        .find(|f| f.contains("disco#info"))
        .unwrap();
    answer(
        &mut h,
        &query,
        &format!("<iq type='result' from='bob@localhost/tablet'>{EXODUS}</iq>"),
    );
    assert!(clients(h.events()).is_empty());
    h.server("<presence from='bob@localhost/tablet' type='unavailable'/>");
    h.server(&caps_presence("bob@localhost/tablet", "forged="));
    assert!(!h.sent().iter().any(|f| f.contains("disco#info")));

    // A stranger's presence asks nothing.
    h.server(&caps_presence("mallory@evil.example/x", "other="));
    assert!(!h.sent().iter().any(|f| f.contains("disco#info")));
}

#[test]
fn a_resource_that_advertises_corrections_is_said_to_show_them() {
    let mut h = Harness::online();
    let features = [
        "http://jabber.org/protocol/disco#info",
        "urn:xmpp:message-correct:0",
    ];
    let ver = parley::xmpp::caps::verification_string(&[("client", "pc", "", "Dino")], &features);
    h.server(&caps_presence("bob@localhost/desk", &ver));
    let query = h
        .sent()
        .into_iter()
        .find(|f| f.contains("disco#info"))
        .expect("the version is asked about");
    let answer_xml = format!(
        "<iq type='result' from='bob@localhost/desk'><query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='client' name='Dino' type='pc'/>{}</query></iq>",
        features
            .iter()
            .map(|f| format!("<feature var='{f}'/>"))
            .collect::<String>()
    );
    answer(&mut h, &query, &answer_xml);
    assert_eq!(
        clients(h.events()),
        [("bob@localhost/desk".into(), Some("Dino".into()), true)]
    );
}
