//! XEP-0077 against a scripted server: creating an account before login and signing in with it
//! on the same stream, a server that asks for more, refusals, a server that offers nothing,
//! asking whether registration is offered, changing the password and removing the account.

mod support;

use parley::xmpp::register::RegisterError;
use parley::xmpp::{AccountEvent, Client, ConnectionState, Event, Instant, SessionError};
use support::{challenge, Harness, CLIENT_FINAL, OPEN};
use zeroize::Zeroizing;

const REGISTER_FEATURES: &str = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
    <mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>\
    <register xmlns='http://jabber.org/features/iq-register'/></stream:features>";

const PROSODY_FORM: &str = "<query xmlns='jabber:iq:register'>\
    <instructions>Choose a username and password for use with this service.</instructions>\
    <username/><password/><x xmlns='jabber:x:data' type='form'>\
    <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
    <field label='Username' type='text-single' var='username'><required/></field>\
    <field label='Password' type='text-private' var='password'><required/></field></x></query>";

fn registering(given: Vec<(String, String)>) -> Harness {
    let now = Instant(1_000);
    Harness {
        client: Client::register(
            support::config(),
            Zeroizing::new("pencil".into()),
            given,
            support::entropy(),
            now,
        ),
        now,
    }
}

fn account_events(h: &mut Harness) -> Vec<AccountEvent> {
    h.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Account(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// The last frame sent, which must be one iq; returns it and its id.
fn last_iq(h: &mut Harness) -> (String, String) {
    let frame = h.sent().pop().expect("a frame was sent");
    assert!(frame.starts_with("<iq"), "{frame}");
    let id = Harness::id_of(&frame);
    (frame, id)
}

#[test]
fn creates_the_account_then_signs_in_on_the_same_stream() {
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    let (get, id) = last_iq(&mut h);
    assert!(
        get.contains("type=\"get\"") && get.contains("jabber:iq:register"),
        "{get}"
    );
    assert!(
        !get.contains("<auth"),
        "no SASL before the account exists: {get}"
    );
    h.server(&format!("<iq type='result' id='{id}'>{PROSODY_FORM}</iq>"));
    let (set, id) = last_iq(&mut h);
    assert!(set.contains("type=\"set\""), "{set}");
    assert!(
        set.contains("<value>user</value>") && set.contains("<value>pencil</value>"),
        "{set}"
    );
    h.server(&format!("<iq type='result' id='{id}'/>"));
    assert_eq!(account_events(&mut h), [AccountEvent::Registered]);
    // SASL with the new account, on the stream already open.
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|f| f.contains("<auth") && f.contains("SCRAM-SHA-1")),
        "{sent:?}"
    );
    h.server(&challenge());
    assert!(h
        .sent()
        .iter()
        .any(|f| f.contains(&support::b64(CLIENT_FINAL))));
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);
}

#[test]
fn fields_beyond_name_and_password_are_asked_of_the_person() {
    let form = "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>\
        <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
        <field var='username'><required/></field><field var='password' type='text-private'><required/></field>\
        <field var='email' label='Email'><required/></field></x></query>";
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    let (_, id) = last_iq(&mut h);
    h.server(&format!("<iq type='result' id='{id}'>{form}</iq>"));
    assert!(
        h.sent().is_empty(),
        "nothing is submitted without the person's answer"
    );
    let events = account_events(&mut h);
    let [AccountEvent::RegistrationFields(asked)] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(asked.extra_fields()[0].var, "email");
    assert!(h
        .client
        .submit_registration(vec![("email".into(), "u@example.org".into())], h.now));
    let (set, _) = last_iq(&mut h);
    assert!(set.contains("<value>u@example.org</value>"), "{set}");
    assert!(set.contains("<value>jabber:iq:register</value>"), "{set}");
}

#[test]
fn answers_given_beforehand_are_submitted_at_once() {
    let form = "<query xmlns='jabber:iq:register'><username/><password/><email/></query>";
    let mut h = registering(vec![("email".into(), "u@example.org".into())]);
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    let (_, id) = last_iq(&mut h);
    h.server(&format!("<iq type='result' id='{id}'>{form}</iq>"));
    let (set, _) = last_iq(&mut h);
    assert!(set.contains("<email>u@example.org</email>"), "{set}");
}

#[test]
fn a_taken_name_ends_the_attempt_with_a_reason() {
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    let (_, id) = last_iq(&mut h);
    h.server(&format!("<iq type='result' id='{id}'>{PROSODY_FORM}</iq>"));
    let (_, id) = last_iq(&mut h);
    h.server(&format!(
        "<iq type='error' id='{id}'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
         <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>The requested username already exists.</text></error></iq>"
    ));
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Registration(RegisterError::Taken)))
    );
    assert!(
        !h.client.can_reconnect(),
        "a refused registration is not retried"
    );
}

#[test]
fn a_server_without_registration_says_so_before_anything_is_sent() {
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(support::SASL_FEATURES);
    let sent = h.sent();
    assert!(
        !sent
            .iter()
            .any(|f| f.contains("<auth") || f.contains("jabber:iq:register")),
        "{sent:?}"
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Registration(RegisterError::NotOffered)))
    );
}

#[test]
fn a_captcha_is_registration_elsewhere() {
    let form = "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>\
        <field var='ocr' label='Enter the text'><media xmlns='urn:xmpp:media-element'/><required/></field></x>\
        <x xmlns='jabber:x:oob'><url>https://example.org/register</url></x></query>";
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    let (_, id) = last_iq(&mut h);
    h.server(&format!("<iq type='result' id='{id}'>{form}</iq>"));
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Registration(RegisterError::Elsewhere {
            url: Some("https://example.org/register".into())
        })))
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let mut h = registering(Vec::new());
    h.server(OPEN);
    h.server(REGISTER_FEATURES);
    h.sent();
    let deadline = h.client.poll_timeout().expect("the request has a deadline");
    h.client.handle_timeout(deadline);
    assert!(matches!(
        h.closed_with(),
        Some(Some(SessionError::Timeout { .. }))
    ));
}

#[test]
fn asking_whether_registration_is_offered_closes_after_the_features() {
    for (features, offered) in [(REGISTER_FEATURES, true), (support::SASL_FEATURES, false)] {
        let now = Instant(1_000);
        let mut h = Harness {
            client: Client::ask_registration(support::config(), support::entropy(), now),
            now,
        };
        h.server(OPEN);
        h.server(features);
        let sent = h.sent();
        assert!(
            sent.last().is_some_and(|f| f.contains("<close")),
            "{sent:?}"
        );
        assert!(!sent.iter().any(|f| f.contains("<auth")), "{sent:?}");
        assert_eq!(
            account_events(&mut h),
            [AccountEvent::RegistrationOffered(offered)]
        );
    }
}

#[test]
fn a_changed_password_is_the_one_the_next_login_proves() {
    let mut h = Harness::online();
    h.client
        .change_password(Zeroizing::new("new-pw".into()), h.now)
        .unwrap();
    let (set, id) = last_iq(&mut h);
    assert!(
        set.contains("<username>user</username>") && set.contains("<password>new-pw</password>"),
        "{set}"
    );
    h.server(&format!("<iq type='result' id='{id}'/>"));
    assert_eq!(account_events(&mut h), [AccountEvent::PasswordChanged]);
    // The kept SCRAM keys are of the old password: the next login starts from the new one.
    assert!(h.client.scram_keys().is_none());
    assert!(h.client.can_reconnect());
}

#[test]
fn a_refused_password_change_keeps_the_old_credentials() {
    let mut h = Harness::online();
    h.client
        .change_password(Zeroizing::new("x".into()), h.now)
        .unwrap();
    let (_, id) = last_iq(&mut h);
    h.server(&format!(
        "<iq type='error' id='{id}'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
    ));
    assert_eq!(
        account_events(&mut h),
        [AccountEvent::PasswordNotChanged(
            RegisterError::NotAcceptable { text: None }
        )]
    );
    assert!(h.client.scram_keys().is_some());
}

#[test]
fn a_removed_account_cannot_log_in_again() {
    let mut h = Harness::online();
    h.client.remove_account(h.now).unwrap();
    let (set, id) = last_iq(&mut h);
    assert!(set.contains("<remove/>"), "{set}");
    h.server(&format!("<iq type='result' id='{id}'/>"));
    assert_eq!(account_events(&mut h), [AccountEvent::Removed]);
    h.server("<stream:error xmlns:stream='http://etherx.jabber.org/streams'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    assert!(!h.client.can_reconnect());
}
