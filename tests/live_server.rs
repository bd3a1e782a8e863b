//! The same sans-IO core over a real wss connection to the local Prosody (started by `make test`).
//! tokio, tungstenite and rustls are dev-dependencies only: the app never links them.
//!
//! Ignored by a plain `cargo test`; `scripts/test.sh` runs them with `--include-ignored` and sets
//! `PARLEY_TEST_WSS_URL` and `PARLEY_TEST_CA` (the server's self-signed certificate), and the same
//! for the local ejabberd (`PARLEY_EJABBERD_*`), which pages its room list with XEP-0059.

#![cfg(not(target_arch = "wasm32"))]

use futures_util::{SinkExt, StreamExt};
use parley::xmpp::entropy::Entropy;
use parley::xmpp::jid::BareJid;
use parley::xmpp::sasl::Secret;
use parley::xmpp::{
    AccountEvent, ChatEvent, Client, ClientConfig, ConnectionEvent, ConnectionState, Event,
    Instant, RoomEvent, RosterCache, RosterEvent, SessionError,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use zeroize::Zeroizing;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run these tests through `make test`"))
}

/// Which local server: the environment variables that say where it is.
#[derive(Clone, Copy)]
struct Server {
    url: &'static str,
    ca: &'static str,
}

const PROSODY: Server = Server {
    url: "PARLEY_TEST_WSS_URL",
    ca: "PARLEY_TEST_CA",
};
const EJABBERD: Server = Server {
    url: "PARLEY_EJABBERD_WSS_URL",
    ca: "PARLEY_EJABBERD_CA",
};

async fn connect() -> Ws {
    connect_to(PROSODY).await
}

async fn connect_to(server: Server) -> Ws {
    let ca = env(server.ca);
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&ca).expect("read the test CA") {
        roots
            .add(cert.expect("a PEM certificate"))
            .expect("a usable certificate");
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut request = env(server.url).into_client_request().expect("a valid URL");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("xmpp"));
    let (ws, response) = tokio_tungstenite::connect_async_tls_with_config(
        request,
        None,
        false,
        Some(Connector::Rustls(Arc::new(tls))),
    )
    .await
    .expect("wss connection to the local server");
    assert_eq!(
        response
            .headers()
            .get("Sec-WebSocket-Protocol")
            .map(|v| v.as_bytes()),
        Some(&b"xmpp"[..])
    );
    ws
}

/// One logged-in (or failing) account: the client plus its socket, and what it sent.
struct Peer {
    session: Client,
    ws: Ws,
    start: std::time::Instant,
    events: Vec<Event>,
    sent: Vec<String>,
    received: Vec<String>,
}

impl Peer {
    async fn login(user: &str, password: &str) -> Self {
        Self::login_to(PROSODY, user, password).await
    }

    async fn login_to(server: Server, user: &str, password: &str) -> Self {
        let secret = Secret::Password(Zeroizing::new(password.to_owned()));
        Self::sign_in(server, user, secret).await
    }

    async fn sign_in(server: Server, account: &str, secret: Secret) -> Self {
        Self::sign_in_with(server, account, secret, |_| {}).await
    }

    /// Signs in after `prepare` had the client before its first frame.
    async fn sign_in_with(
        server: Server,
        account: &str,
        secret: Secret,
        prepare: impl FnOnce(&mut Client),
    ) -> Self {
        let config = ClientConfig::new(BareJid::new(account).unwrap());
        let mut session =
            Client::with_secret(config, secret, Entropy::fresh().unwrap(), Instant(0));
        prepare(&mut session);
        Self::start(server, session).await
    }

    /// Connects a client made some other way (to register, say) and runs it until it settles.
    async fn start(server: Server, session: Client) -> Self {
        let mut peer = Self {
            session,
            ws: connect_to(server).await,
            start: std::time::Instant::now(),
            events: Vec::new(),
            sent: Vec::new(),
            received: Vec::new(),
        };
        peer.run_until_settled().await;
        peer
    }

    async fn run_until_settled(&mut self) {
        self.run_until(|c| {
            matches!(
                c.session.state(),
                ConnectionState::Online | ConnectionState::Closed
            )
        })
        .await;
    }

    /// The mechanism of the last `<auth/>` this peer sent.
    fn mechanism(&self) -> Option<String> {
        let auth = self.sent.iter().rev().find(|f| f.starts_with("<auth "))?;
        let start = auth.find("mechanism=\"")? + "mechanism=\"".len();
        let len = auth[start..].find('"')?;
        Some(auth[start..start + len].to_owned())
    }

    fn now(&self) -> Instant {
        Instant(self.start.elapsed().as_millis() as u64)
    }

    async fn flush(&mut self) {
        while let Some(frame) = self.session.poll_transmit() {
            self.sent.push(frame.to_string());
            // A server that ended the stream (an account removed) may have reset the socket
            // before our answering `<close/>`.
            if self.ws.send(WsMessage::text(frame.as_str())).await.is_err() {
                let now = self.now();
                self.session.handle_transport_closed(None, now);
            }
        }
        self.events
            .extend(std::iter::from_fn(|| self.session.poll_event()));
    }

    /// Pumps frames until `done` holds; fails the test after 10 s.
    async fn run_until(&mut self, done: impl Fn(&Self) -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            self.flush().await;
            if done(self) {
                return;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "timed out; events so far: {:#?}",
                self.events
            );
            match tokio::time::timeout(left, self.ws.next()).await {
                Ok(Some(Ok(WsMessage::Text(text)))) => {
                    let now = self.now();
                    self.session.handle_frame(text.as_str(), now);
                    while self.session.frames_waiting() {
                        self.session.continue_frames(now);
                    }
                    self.received.push(text.as_str().to_owned());
                }
                Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) => {
                    let now = self.now();
                    self.session.handle_transport_closed(None, now)
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => panic!("websocket error: {e}"),
                Err(_) => {
                    let now = self.now();
                    self.session.handle_timeout(now);
                }
            }
        }
    }

    fn closed_with(&self) -> Option<&Option<SessionError>> {
        self.events.iter().find_map(|e| match e {
            Event::Connection(ConnectionEvent::Closed(err)) => Some(err),
            _ => None,
        })
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn scram_login_roster_and_a_message_between_two_accounts() {
    let mut alice = Peer::login("alice@localhost", "wonderland").await;
    assert_eq!(
        alice.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        alice.events
    );
    // Prosody 0.12 offers SCRAM-SHA-1 and PLAIN: SCRAM must have been chosen.
    assert_eq!(alice.mechanism().as_deref(), Some("SCRAM-SHA-1"));
    let roster = alice.events.iter().find_map(|e| match e {
        Event::Roster(RosterEvent::Loaded(items)) => Some(items.clone()),
        _ => None,
    });
    let roster = roster.expect("the roster arrives at login");
    assert!(
        roster.iter().any(|i| i.jid.as_str() == "bob@localhost"),
        "alice's roster: {roster:?}"
    );

    let mut bob = Peer::login("bob@localhost", "builder").await;
    assert_eq!(bob.session.state(), ConnectionState::Online);

    // Alice sees bob come online (the server relays his initial presence).
    alice
        .run_until(|c| {
            c.events.iter().any(|e| matches!(e, Event::Roster(RosterEvent::Presence(p))
                if p.jid.as_str() == "bob@localhost" && p.availability == parley::xmpp::Availability::Available))
        })
        .await;

    let sent = alice
        .session
        .send_chat(
            &BareJid::new("bob@localhost").unwrap(),
            "hello from the core <&>",
            alice.now(),
        )
        .unwrap();
    // The server answers the ping that follows the message: it has the message.
    alice
        .run_until(|c| {
            c.events
                .iter()
                .any(|e| matches!(e, Event::Chat(ChatEvent::Sent { id, .. }) if *id == sent.id))
        })
        .await;
    bob.run_until(|c| {
        c.events
            .iter()
            .any(|e| matches!(e, Event::Chat(ChatEvent::Message(_))))
    })
    .await;
    let got = bob.events.iter().find_map(|e| match e {
        Event::Chat(ChatEvent::Message(m)) => Some(m.clone()),
        _ => None,
    });
    let got = got.unwrap();
    assert_eq!(got.body, "hello from the core <&>");
    assert_eq!(got.id, sent.id, "the origin id survives the trip");
    assert_eq!(got.peer.as_str(), "alice@localhost");

    for client in [&mut alice, &mut bob] {
        let now = client.now();
        client.session.close(now);
        client
            .run_until(|c| c.session.state() == ConnectionState::Closed)
            .await;
        assert_eq!(client.closed_with(), Some(&None), "a clean close");
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn wrong_password_is_refused_by_the_real_server() {
    let client = Peer::login("alice@localhost", "not-the-password").await;
    assert_eq!(client.session.state(), ConnectionState::Closed);
    assert_eq!(
        client.closed_with(),
        Some(&Some(SessionError::WrongCredentials))
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn a_guest_signs_in_anonymously_and_gets_a_temporary_address() {
    let guest = Peer::sign_in(PROSODY, "guest.localhost", Secret::Anonymous).await;
    assert_eq!(
        guest.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        guest.events
    );
    assert_eq!(guest.mechanism().as_deref(), Some("ANONYMOUS"));
    let bound = guest.events.iter().find_map(|e| match e {
        Event::Connection(ConnectionEvent::Bound(jid)) => Some(jid.clone()),
        _ => None,
    });
    let bound = bound.expect("a bound address");
    assert_eq!(bound.domain(), "guest.localhost");
    assert!(bound.node().is_some_and(|n| !n.is_empty()), "{bound}");
    // An account's domain does not let a guest in.
    let refused = Peer::sign_in(PROSODY, "localhost", Secret::Anonymous).await;
    assert!(
        matches!(
            refused.closed_with(),
            Some(Some(SessionError::NoSupportedMechanism { .. }))
        ),
        "{:?}",
        refused.closed_with()
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn saslprep_maps_a_no_break_space_as_the_server_did() {
    // Seeded as "Ёжик<NBSP>в тумане ①"; NFKC (the browser's step) has turned ① into 1 here.
    let client = Peer::login("frank@localhost", "Ёжик\u{A0}в тумане 1").await;
    assert_eq!(
        client.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        client.events
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn a_dropped_socket_reconnects_with_the_kept_scram_keys() {
    let mut carol = Peer::login("carol@localhost", "christmas").await;
    assert_eq!(carol.session.state(), ConnectionState::Online);
    // The socket dies under the client; the account remains and keeps SCRAM's keys, not the
    // password.
    let now = carol.now();
    carol.session.handle_transport_closed(None, now);
    assert!(carol.session.can_reconnect());
    carol.ws = connect().await;
    carol
        .session
        .reconnect(Entropy::fresh().unwrap(), carol.now(), true)
        .unwrap();
    carol.events.clear();
    carol.run_until_settled().await;
    assert_eq!(
        carol.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        carol.events
    );
    assert_eq!(carol.mechanism().as_deref(), Some("SCRAM-SHA-1"));
}

/// The server's answer to the roster request this peer sent.
fn roster_answer(peer: &Peer) -> String {
    let request = peer
        .sent
        .iter()
        .find(|f| f.contains("jabber:iq:roster") && f.contains("type=\"get\""))
        .expect("a roster request");
    let id = &request[request.find("id=\"").unwrap() + 4..];
    let id = &id[..id.find('"').unwrap()];
    peer.received
        .iter()
        .find(|f| f.contains(&format!("id='{id}'")) || f.contains(&format!("id=\"{id}\"")))
        .expect("an answer to the roster request")
        .clone()
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run scripts/test.sh"]
async fn prosody_answers_a_cached_roster_version_with_no_items() {
    let alice = Peer::login("alice@localhost", "wonderland").await;
    assert_eq!(alice.session.state(), ConnectionState::Online);
    let version = alice
        .session
        .roster()
        .version()
        .expect("Prosody versions the roster")
        .to_owned();
    let items: Vec<_> = alice.session.roster().items().cloned().collect();
    assert!(!items.is_empty(), "alice has contacts in the test data");
    assert!(roster_answer(&alice).contains("<item"));

    let secret = Secret::Password(Zeroizing::new("wonderland".to_owned()));
    let cache = RosterCache {
        items: items.clone(),
        version: version.clone(),
    };
    let again = Peer::sign_in_with(PROSODY, "alice@localhost", secret, |c| {
        c.restore_roster(cache)
    })
    .await;
    assert_eq!(again.session.state(), ConnectionState::Online);
    let answer = roster_answer(&again);
    assert!(
        !answer.contains("<item"),
        "an unchanged roster is not sent again: {answer}"
    );
    let loaded = again.events.iter().find_map(|e| match e {
        Event::Roster(RosterEvent::Loaded(items)) => Some(items.len()),
        _ => None,
    });
    assert_eq!(loaded, Some(items.len()), "the cached roster is the roster");
    assert_eq!(again.session.roster().version(), Some(version.as_str()));
}

fn room_events(peer: &Peer) -> impl Iterator<Item = &RoomEvent> {
    peer.events.iter().filter_map(|e| match e {
        Event::Room(r) => Some(r),
        _ => None,
    })
}

/// Waits for the room service discovery of the login to finish; returns what it found.
async fn services(peer: &mut Peer) -> Vec<BareJid> {
    peer.run_until(|c| room_events(c).any(|e| matches!(e, RoomEvent::Services(_))))
        .await;
    room_events(peer)
        .find_map(|e| match e {
            RoomEvent::Services(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Lists `service` to the end; returns the rooms and how many pages it took.
async fn list(peer: &mut Peer, service: &BareJid) -> (Vec<String>, usize) {
    peer.events.clear();
    let now = peer.now();
    peer.session.list_rooms(service, now).unwrap();
    peer.run_until(|c| {
        room_events(c).any(|e| {
            matches!(
                e,
                RoomEvent::ListPage { complete: true, .. } | RoomEvent::ListFailed { .. }
            )
        })
    })
    .await;
    let mut rooms = Vec::new();
    let mut pages = 0;
    for event in room_events(peer) {
        match event {
            RoomEvent::ListPage { rooms: page, .. } => {
                pages += 1;
                rooms.extend(page.iter().map(|r| r.jid.to_string()));
            }
            RoomEvent::ListFailed { error, .. } => panic!("the listing failed: {error:?}"),
            _ => {}
        }
    }
    (rooms, pages)
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local ejabberd: run scripts/test.sh"]
async fn ejabberd_lists_1200_rooms_in_rsm_pages_without_duplicates() {
    let mut alice = Peer::login_to(EJABBERD, "alice@localhost", "wonderland").await;
    assert_eq!(
        alice.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        alice.events
    );
    let found = services(&mut alice).await;
    let service = BareJid::new("conference.localhost").unwrap();
    assert_eq!(found, vec![service.clone()]);
    let (rooms, pages) = list(&mut alice, &service).await;
    let distinct: std::collections::HashSet<&String> = rooms.iter().collect();
    println!("ejabberd: {} rooms in {pages} pages", rooms.len());
    assert_eq!(rooms.len(), 1_200);
    assert_eq!(distinct.len(), 1_200);
    assert!(
        pages >= 12,
        "ejabberd serves at most 100 per page: {pages} pages"
    );
    assert!(rooms.iter().all(|r| r.ends_with("@conference.localhost")));
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run scripts/test.sh"]
async fn prosody_lists_every_room_and_a_room_reflects_our_message() {
    let mut dave = Peer::login("dave@localhost", "dave-pw").await;
    assert_eq!(dave.session.state(), ConnectionState::Online);
    let service = BareJid::new("conference.localhost").unwrap();
    assert_eq!(services(&mut dave).await, vec![service.clone()]);
    let (rooms, pages) = list(&mut dave, &service).await;
    println!("prosody: {} rooms in {pages} pages", rooms.len());
    assert!(rooms.len() >= 2_000, "{} rooms", rooms.len());
    assert_eq!(pages, 1, "Prosody does not page");

    let room = BareJid::new("lobby@conference.localhost").unwrap();
    let now = dave.now();
    dave.session.join_room(&room, "dave", None, now).unwrap();
    dave.run_until(|c| room_events(c).any(|e| matches!(e, RoomEvent::Joined { .. })))
        .await;
    let now = dave.now();
    let sent = dave
        .session
        .send_groupchat(&room, "hello, lobby", now)
        .unwrap();
    dave.run_until(|c| {
        room_events(c).any(|e| matches!(e, RoomEvent::Message(m) if m.own && m.id == sent.id))
    })
    .await;
    let now = dave.now();
    dave.session.leave_room(&room, now);
    dave.run_until(|c| room_events(c).any(|e| matches!(e, RoomEvent::Left { .. })))
        .await;
}

fn account_config(name: &str) -> ClientConfig {
    ClientConfig::new(BareJid::new(&format!("{name}@localhost")).unwrap())
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn prosody_offers_registration_to_a_client_that_asks() {
    let session = Client::ask_registration(
        account_config("nobody"),
        Entropy::fresh().unwrap(),
        Instant(0),
    );
    let peer = Peer::start(PROSODY, session).await;
    assert!(
        peer.events
            .contains(&Event::Account(AccountEvent::RegistrationOffered(true))),
        "{:#?}",
        peer.events
    );
    assert_eq!(
        peer.closed_with(),
        Some(&None),
        "a clean close after asking"
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn prosody_creates_an_account_changes_its_password_and_removes_it() {
    let name = format!("core{}", std::process::id());
    let register = |password: &str| {
        Client::register(
            account_config(&name),
            Zeroizing::new(password.to_owned()),
            Vec::new(),
            Entropy::fresh().unwrap(),
            Instant(0),
        )
    };
    let mut created = Peer::start(PROSODY, register("first-pw")).await;
    assert_eq!(
        created.session.state(),
        ConnectionState::Online,
        "{:#?}",
        created.events
    );
    assert!(created
        .events
        .contains(&Event::Account(AccountEvent::Registered)));
    assert_eq!(created.mechanism().as_deref(), Some("SCRAM-SHA-1"));

    let again = Peer::start(PROSODY, register("other")).await;
    assert_eq!(
        again.closed_with(),
        Some(&Some(SessionError::Registration(
            parley::xmpp::RegisterError::Taken
        )))
    );

    let now = created.now();
    created
        .session
        .change_password(Zeroizing::new("second-pw".into()), now)
        .unwrap();
    created
        .run_until(|p| {
            p.events
                .contains(&Event::Account(AccountEvent::PasswordChanged))
        })
        .await;
    let jid = format!("{name}@localhost");
    let old = Peer::login(&jid, "first-pw").await;
    assert_eq!(
        old.closed_with(),
        Some(&Some(SessionError::WrongCredentials))
    );
    let new = Peer::login(&jid, "second-pw").await;
    assert_eq!(new.session.state(), ConnectionState::Online);

    let now = created.now();
    created.session.remove_account(now).unwrap();
    created
        .run_until(|p| p.events.contains(&Event::Account(AccountEvent::Removed)))
        .await;
    created
        .run_until(|p| p.session.state() == ConnectionState::Closed)
        .await;
    assert!(!created.session.can_reconnect());
    let gone = Peer::login(&jid, "second-pw").await;
    assert_eq!(
        gone.closed_with(),
        Some(&Some(SessionError::WrongCredentials))
    );
}
