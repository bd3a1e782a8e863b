//! The same sans-IO core over a real wss connection to the local Prosody (started by `make test`).
//! tokio, tungstenite and rustls are dev-dependencies only: the app never links them.
//!
//! Ignored by a plain `cargo test`; `scripts/test.sh` runs them with `--include-ignored` and sets
//! `PARLEY_TEST_WSS_URL` and `PARLEY_TEST_CA` (the server's self-signed certificate).

#![cfg(not(target_arch = "wasm32"))]

use futures_util::{SinkExt, StreamExt};
use parley::xmpp::entropy::Entropy;
use parley::xmpp::jid::BareJid;
use parley::xmpp::{ConnectionState, Event, Instant, Session, SessionConfig, SessionError};
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

async fn connect() -> Ws {
    let ca = env("PARLEY_TEST_CA");
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
    let mut request = env("PARLEY_TEST_WSS_URL")
        .into_client_request()
        .expect("a valid URL");
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
    .expect("wss connection to the local Prosody");
    assert_eq!(
        response
            .headers()
            .get("Sec-WebSocket-Protocol")
            .map(|v| v.as_bytes()),
        Some(&b"xmpp"[..])
    );
    ws
}

/// One logged-in (or failing) client: the session plus its socket.
struct Client {
    session: Session,
    ws: Ws,
    start: std::time::Instant,
    events: Vec<Event>,
}

impl Client {
    async fn login(user: &str, password: &str) -> Self {
        let config = SessionConfig::new(
            BareJid::new(user).unwrap(),
            Zeroizing::new(password.to_owned()),
        );
        let start = std::time::Instant::now();
        let session = Session::new(config, Entropy::fresh().unwrap(), Instant(0));
        let mut client = Self {
            session,
            ws: connect().await,
            start,
            events: Vec::new(),
        };
        client
            .run_until(|c| {
                matches!(
                    c.session.state(),
                    ConnectionState::Online | ConnectionState::Closed
                )
            })
            .await;
        client
    }

    fn now(&self) -> Instant {
        Instant(self.start.elapsed().as_millis() as u64)
    }

    async fn flush(&mut self) {
        while let Some(frame) = self.session.poll_transmit() {
            self.ws
                .send(WsMessage::text(frame))
                .await
                .expect("send a frame");
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
                }
                Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) => {
                    self.session.handle_transport_closed()
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
            Event::Closed(err) => Some(err),
            _ => None,
        })
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn scram_login_roster_and_a_message_between_two_accounts() {
    let mut alice = Client::login("alice@localhost", "wonderland").await;
    assert_eq!(
        alice.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        alice.events
    );
    let roster = alice.events.iter().find_map(|e| match e {
        Event::Roster(items) => Some(items.clone()),
        _ => None,
    });
    let roster = roster.expect("the roster arrives at login");
    assert!(
        roster.iter().any(|i| i.jid.as_str() == "bob@localhost"),
        "alice's roster: {roster:?}"
    );

    let mut bob = Client::login("bob@localhost", "builder").await;
    assert_eq!(bob.session.state(), ConnectionState::Online);

    // Alice sees bob come online (the server relays his initial presence).
    alice
        .run_until(|c| {
            c.events.iter().any(|e| matches!(e, Event::Presence(p)
                if p.jid.as_str() == "bob@localhost" && p.availability == parley::xmpp::Availability::Available))
        })
        .await;

    let sent = alice
        .session
        .send_chat(
            &BareJid::new("bob@localhost").unwrap(),
            "hello from the core <&>",
        )
        .unwrap();
    alice.flush().await;
    bob.run_until(|c| c.events.iter().any(|e| matches!(e, Event::Message(_))))
        .await;
    let got = bob.events.iter().find_map(|e| match e {
        Event::Message(m) => Some(m.clone()),
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
    let client = Client::login("alice@localhost", "not-the-password").await;
    assert_eq!(client.session.state(), ConnectionState::Closed);
    assert_eq!(
        client.closed_with(),
        Some(&Some(SessionError::WrongCredentials))
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs the local Prosody: run `make test`"]
async fn saslprep_maps_a_no_break_space_as_the_server_did() {
    // Seeded as "Ёжик<NBSP>в тумане ①"; NFKC (the browser's step) has turned ① into 1 here.
    let client = Client::login("frank@localhost", "Ёжик\u{A0}в тумане 1").await;
    assert_eq!(
        client.session.state(),
        ConnectionState::Online,
        "events: {:#?}",
        client.events
    );
}
