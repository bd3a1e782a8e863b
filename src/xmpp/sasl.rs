//! SASL authentication (RFC 6120 §6): SCRAM-SHA-512, SCRAM-SHA-256 and SCRAM-SHA-1 (RFC 5802,
//! RFC 7677), PLAIN (RFC 4616) only when the server offers no SCRAM at all, and ANONYMOUS
//! (RFC 4505) for guests, only when asked for: it is never chosen for an account.
//!
//! SCRAM proves the password without sending it and proves the server knows it too: the server's
//! signature in the final message is verified, and a mismatch fails the login. Channel binding is not
//! available to a browser WebSocket, so the GS2 header is `n,,`.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use std::fmt;
use zeroize::Zeroizing;

/// Iteration counts outside this range are refused: too few is a downgrade, too many freezes the tab.
pub const MIN_ITERATIONS: u32 = 4096;
pub const MAX_ITERATIONS: u32 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    ScramSha512,
    ScramSha256,
    ScramSha1,
    Plain,
    Anonymous,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Self::ScramSha512 => "SCRAM-SHA-512",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::ScramSha1 => "SCRAM-SHA-1",
            Self::Plain => "PLAIN",
            Self::Anonymous => "ANONYMOUS",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::ScramSha512,
            Self::ScramSha256,
            Self::ScramSha1,
            Self::Plain,
        ]
        .into_iter()
        .find(|m| m.name() == name)
    }

    /// The strongest mechanism offered; PLAIN only when no SCRAM variant is, and `allow_plain`.
    pub fn choose(offered: &[String], allow_plain: bool) -> Option<Self> {
        [
            Self::ScramSha512,
            Self::ScramSha256,
            Self::ScramSha1,
            Self::Plain,
        ]
        .into_iter()
        .filter(|m| allow_plain || *m != Self::Plain)
        .find(|m| offered.iter().any(|o| o == m.name()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaslError {
    /// The password cannot be prepared (RFC 4013 SASLprep), e.g. it holds control characters.
    InvalidPassword,
    InvalidUsername,
    /// The server's message is not what the mechanism expects at this step.
    Protocol(&'static str),
    /// The server nonce does not extend ours: a replay or a broken server.
    NonceMismatch,
    IterationCount(u32),
    /// The server could not prove it knows the password: possibly an impostor.
    ServerSignatureMismatch,
    /// The server reported an error in its final message (`e=`).
    ServerError(String),
    /// The keys kept from the last login do not fit what the server asks for now (another
    /// mechanism, salt or round count): the password is needed again.
    KeysDoNotFit,
}

impl fmt::Display for SaslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPassword => {
                f.write_str("the password contains characters that cannot be used")
            }
            Self::InvalidUsername => {
                f.write_str("the user name contains characters that cannot be used")
            }
            Self::Protocol(what) => write!(
                f,
                "the server sent an invalid authentication message ({what})"
            ),
            Self::NonceMismatch => {
                f.write_str("the server's authentication reply does not match our request")
            }
            Self::IterationCount(i) => write!(
                f,
                "the server asked for {i} password hashing rounds, which is unsafe"
            ),
            Self::ServerSignatureMismatch => f.write_str(
                "the server could not prove it knows your password; it may not be your server",
            ),
            Self::ServerError(e) => write!(f, "the server refused the login ({e})"),
            Self::KeysDoNotFit => {
                f.write_str("the server needs your password again to sign you in")
            }
        }
    }
}

/// What SCRAM derived from the password at the last successful login: enough to log in again
/// without the password, as long as the server keeps the same salt and iteration count
/// (RFC 5802 §5.1, "client and server keys ... can be cached"). Wiped on drop.
#[derive(Clone)]
pub struct ScramKeys {
    pub mechanism: Mechanism,
    pub salt: Vec<u8>,
    pub iterations: u32,
    salted_password: Zeroizing<Vec<u8>>,
}

impl ScramKeys {
    /// Keys kept from an earlier login (a remembered device's); they prove nothing if the
    /// server's salt or rounds changed since.
    pub fn restore(
        mechanism: Mechanism,
        salt: Vec<u8>,
        iterations: u32,
        salted_password: Zeroizing<Vec<u8>>,
    ) -> Option<Self> {
        let scram = mechanism != Mechanism::Plain;
        (scram && !salt.is_empty() && !salted_password.is_empty()).then_some(Self {
            mechanism,
            salt,
            iterations,
            salted_password,
        })
    }

    /// What [`ScramKeys::restore`] takes back: the salted password (RFC 5802 §3), secret.
    pub fn salted_password(&self) -> &[u8] {
        &self.salted_password
    }
}

impl fmt::Debug for ScramKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ScramKeys({}, {} rounds)",
            self.mechanism.name(),
            self.iterations
        )
    }
}

/// What an exchange proves knowledge of: the password, or SCRAM keys derived from it earlier;
/// or nothing, for a guest the server gives a temporary address.
pub enum Secret {
    Password(Zeroizing<String>),
    Scram(ScramKeys),
    Anonymous,
}

/// One authentication exchange. Holds the secret only until the client proof is computed;
/// dropping it wipes what it held.
pub struct Authenticator {
    mechanism: Mechanism,
    state: State,
}

enum State {
    Initial {
        username: String,
        secret: Secret,
        client_nonce: String,
    },
    AwaitingChallenge {
        client_first_bare: String,
        secret: Secret,
        client_nonce: String,
    },
    /// `server_signature` is `None` for PLAIN, which has nothing to verify; `keys` are what to
    /// keep for the next login once the server is verified.
    AwaitingSuccess {
        server_signature: Option<Zeroizing<Vec<u8>>>,
        keys: Option<ScramKeys>,
    },
    /// SCRAM's server-final came as a challenge and checked out; only `<success/>` remains.
    Verified {
        keys: Option<ScramKeys>,
    },
    Finished,
}

impl Authenticator {
    /// `client_nonce` must come from a CSPRNG and be printable ASCII without ','. Cached SCRAM
    /// keys work only with the mechanism that made them.
    pub fn new(mechanism: Mechanism, username: &str, secret: Secret, client_nonce: String) -> Self {
        Self {
            mechanism,
            state: State::Initial {
                username: username.to_owned(),
                secret,
                client_nonce,
            },
        }
    }

    /// The base64 initial response carried by `<auth/>`; it may hold the password (PLAIN).
    pub fn initial_response(&mut self) -> Result<Zeroizing<String>, SaslError> {
        let State::Initial {
            username,
            secret,
            client_nonce,
        } = std::mem::replace(&mut self.state, State::Finished)
        else {
            return Err(SaslError::Protocol("exchange already started"));
        };
        if self.mechanism == Mechanism::Anonymous || matches!(secret, Secret::Anonymous) {
            if self.mechanism != Mechanism::Anonymous || !matches!(secret, Secret::Anonymous) {
                return Err(SaslError::KeysDoNotFit);
            }
            // RFC 4505 §2: the trace information is optional; we send none.
            self.state = State::AwaitingSuccess {
                server_signature: None,
                keys: None,
            };
            return Ok(Zeroizing::new(String::new()));
        }
        let username = saslprep(&username, SaslError::InvalidUsername)?;
        if self.mechanism == Mechanism::Plain {
            let Secret::Password(password) = secret else {
                return Err(SaslError::KeysDoNotFit);
            };
            let password = saslprep(&password, SaslError::InvalidPassword)?;
            let mut message =
                Zeroizing::new(Vec::with_capacity(username.len() + password.len() + 2));
            message.push(0);
            message.extend_from_slice(username.as_bytes());
            message.push(0);
            message.extend_from_slice(password.as_bytes());
            self.state = State::AwaitingSuccess {
                server_signature: None,
                keys: None,
            };
            return Ok(encode_secret(&message));
        }
        if let Secret::Scram(keys) = &secret {
            if keys.mechanism != self.mechanism {
                return Err(SaslError::KeysDoNotFit);
            }
        }
        let client_first_bare = format!("n={},r={client_nonce}", escape_username(&username));
        let response = Zeroizing::new(BASE64.encode(format!("n,,{client_first_bare}")));
        self.state = State::AwaitingChallenge {
            client_first_bare,
            secret,
            client_nonce,
        };
        Ok(response)
    }

    /// Answers a `<challenge/>`: server-first gets the client proof; a server-final sent as a
    /// challenge is verified and answered with an empty response.
    pub fn respond(&mut self, challenge_b64: &str) -> Result<Zeroizing<String>, SaslError> {
        let challenge = decode_message(challenge_b64)?;
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingChallenge {
                client_first_bare,
                secret,
                client_nonce,
            } => {
                let ClientFinal {
                    response,
                    server_signature,
                    keys,
                } = self.client_final(&client_first_bare, secret, &client_nonce, &challenge)?;
                self.state = State::AwaitingSuccess {
                    server_signature: Some(server_signature),
                    keys: Some(keys),
                };
                Ok(response)
            }
            State::AwaitingSuccess {
                server_signature: Some(expected),
                keys,
            } => {
                verify_server_final(&challenge, &expected)?;
                self.state = State::Verified { keys };
                Ok(Zeroizing::new(String::new()))
            }
            _ => Err(SaslError::Protocol("unexpected challenge")),
        }
    }

    /// Handles `<success/>` and its optional additional data. SCRAM must have proven the server;
    /// its keys come back to be kept for the next login (`None` for PLAIN).
    pub fn finish(
        &mut self,
        additional_data_b64: Option<&str>,
    ) -> Result<Option<ScramKeys>, SaslError> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingSuccess {
                server_signature: None,
                keys,
            }
            | State::Verified { keys } => Ok(keys),
            State::AwaitingSuccess {
                server_signature: Some(expected),
                keys,
            } => {
                let data = additional_data_b64.ok_or(SaslError::ServerSignatureMismatch)?;
                verify_server_final(&decode_message(data)?, &expected)?;
                Ok(keys)
            }
            _ => Err(SaslError::Protocol("unexpected success")),
        }
    }

    fn client_final(
        &self,
        client_first_bare: &str,
        secret: Secret,
        client_nonce: &str,
        server_first: &str,
    ) -> Result<ClientFinal, SaslError> {
        let hash = match self.mechanism {
            Mechanism::ScramSha1 => Hash::Sha1,
            Mechanism::ScramSha256 => Hash::Sha256,
            Mechanism::ScramSha512 => Hash::Sha512,
            Mechanism::Plain | Mechanism::Anonymous => {
                return Err(SaslError::Protocol("this mechanism has no challenge"))
            }
        };
        if server_first.starts_with("m=") {
            return Err(SaslError::Protocol("mandatory extension"));
        }
        let nonce = attribute(server_first, 'r').ok_or(SaslError::Protocol("no nonce"))?;
        let salt = attribute(server_first, 's').ok_or(SaslError::Protocol("no salt"))?;
        let iterations =
            attribute(server_first, 'i').ok_or(SaslError::Protocol("no iteration count"))?;
        if !nonce.starts_with(client_nonce) || nonce.len() == client_nonce.len() {
            return Err(SaslError::NonceMismatch);
        }
        let salt = BASE64
            .decode(salt)
            .map_err(|_| SaslError::Protocol("salt is not base64"))?;
        let iterations: u32 = iterations
            .parse()
            .map_err(|_| SaslError::Protocol("bad iteration count"))?;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(SaslError::IterationCount(iterations));
        }
        let salted = match secret {
            Secret::Password(password) => {
                let password = saslprep(&password, SaslError::InvalidPassword)?;
                hash.hi(password.as_bytes(), &salt, iterations)
            }
            // The server changed the salt or rounds (a new password, a rehash): the cached
            // keys no longer prove anything, and only the password can.
            Secret::Scram(keys) if keys.salt == salt && keys.iterations == iterations => {
                keys.salted_password.clone()
            }
            Secret::Scram(_) | Secret::Anonymous => return Err(SaslError::KeysDoNotFit),
        };
        let client_key = hash.hmac(&salted, b"Client Key");
        let stored_key = hash.digest(&client_key);
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{client_first_bare},{server_first},{without_proof}");
        let client_signature = hash.hmac(&stored_key, auth_message.as_bytes());
        let proof: Zeroizing<Vec<u8>> = Zeroizing::new(
            client_key
                .iter()
                .zip(client_signature.iter())
                .map(|(k, s)| k ^ s)
                .collect(),
        );
        let server_key = hash.hmac(&salted, b"Server Key");
        let server_signature =
            Zeroizing::new(hash.hmac(&server_key, auth_message.as_bytes()).to_vec());
        let client_final = Zeroizing::new(format!("{without_proof},p={}", BASE64.encode(&*proof)));
        let keys = ScramKeys {
            mechanism: self.mechanism,
            salt,
            iterations,
            salted_password: salted,
        };
        Ok(ClientFinal {
            response: encode_secret(client_final.as_bytes()),
            server_signature,
            keys,
        })
    }
}

/// SCRAM's client-final message, the signature the server must prove, and the keys to keep.
struct ClientFinal {
    response: Zeroizing<String>,
    server_signature: Zeroizing<Vec<u8>>,
    keys: ScramKeys,
}

/// Base64 into a buffer sized up front, so no reallocation leaves an unwiped copy behind.
fn encode_secret(bytes: &[u8]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
    BASE64.encode_string(bytes, &mut out);
    out
}

fn decode_message(b64: &str) -> Result<String, SaslError> {
    let bytes = BASE64
        .decode(b64.trim())
        .map_err(|_| SaslError::Protocol("not base64"))?;
    String::from_utf8(bytes).map_err(|_| SaslError::Protocol("not UTF-8"))
}

fn verify_server_final(server_final: &str, expected: &[u8]) -> Result<(), SaslError> {
    if let Some(e) = attribute(server_final, 'e') {
        return Err(SaslError::ServerError(e.chars().take(100).collect()));
    }
    let v = attribute(server_final, 'v').ok_or(SaslError::ServerSignatureMismatch)?;
    let got = BASE64
        .decode(v)
        .map_err(|_| SaslError::ServerSignatureMismatch)?;
    // Constant time is not needed here (the value is not secret once sent), but it costs nothing.
    if got.len() == expected.len()
        && got
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    {
        Ok(())
    } else {
        Err(SaslError::ServerSignatureMismatch)
    }
}

/// The value of `key=` in a comma-separated SCRAM message.
fn attribute(message: &str, key: char) -> Option<&str> {
    message.split(',').find_map(|part| {
        let mut chars = part.chars();
        (chars.next() == Some(key) && chars.next() == Some('=')).then(|| &part[2..])
    })
}

/// RFC 4013 on a user name or password; NFKC was applied by the caller (see [`super::saslprep`]).
fn saslprep(s: &str, err: SaslError) -> Result<Zeroizing<String>, SaslError> {
    super::saslprep::saslprep(s)
        .map(Zeroizing::new)
        .map_err(|_| err)
}

/// RFC 5802 §5.1: ',' and '=' in the user name are escaped.
fn escape_username(name: &str) -> String {
    name.replace('=', "=3D").replace(',', "=2C")
}

#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    fn hmac(self, key: &[u8], data: &[u8]) -> Zeroizing<Vec<u8>> {
        fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Zeroizing<Vec<u8>> {
            // HMAC accepts keys of any length, so this cannot fail.
            let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(data);
            Zeroizing::new(mac.finalize().into_bytes().to_vec())
        }
        match self {
            Self::Sha1 => run::<hmac::Hmac<sha1::Sha1>>(key, data),
            Self::Sha256 => run::<hmac::Hmac<sha2::Sha256>>(key, data),
            Self::Sha512 => run::<hmac::Hmac<sha2::Sha512>>(key, data),
        }
    }

    fn digest(self, data: &[u8]) -> Zeroizing<Vec<u8>> {
        use sha2::Digest;
        Zeroizing::new(match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        })
    }

    fn hi(self, password: &[u8], salt: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(vec![0u8; self.len()]);
        match self {
            Self::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut out),
            Self::Sha256 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut out)
            }
            Self::Sha512 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut out)
            }
        }
        out
    }

    fn len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        BASE64.encode(s)
    }

    fn pw(p: &str) -> Secret {
        Secret::Password(Zeroizing::new(p.into()))
    }

    fn run_vector(
        mechanism: Mechanism,
        nonce: &str,
        server_first: &str,
        client_final: &str,
        server_final: &str,
    ) {
        let mut auth = Authenticator::new(mechanism, "user", pw("pencil"), nonce.into());
        assert_eq!(
            *auth.initial_response().unwrap(),
            b64(&format!("n,,n=user,r={nonce}"))
        );
        assert_eq!(
            *auth.respond(&b64(server_first)).unwrap(),
            b64(client_final)
        );
        let keys = auth.finish(Some(&b64(server_final))).unwrap().unwrap();

        // The keys alone log in again while the server keeps its salt and rounds.
        let mut again =
            Authenticator::new(mechanism, "user", Secret::Scram(keys.clone()), nonce.into());
        again.initial_response().unwrap();
        assert_eq!(
            *again.respond(&b64(server_first)).unwrap(),
            b64(client_final)
        );
        assert!(again.finish(Some(&b64(server_final))).is_ok());

        // A new salt (the password changed) needs the password.
        let mut stale = Authenticator::new(mechanism, "user", Secret::Scram(keys), nonce.into());
        stale.initial_response().unwrap();
        let resalted = server_first.replace(",s=", ",s=AAAA");
        assert_eq!(
            stale.respond(&b64(&resalted)).err(),
            Some(SaslError::KeysDoNotFit)
        );
    }

    #[test]
    fn rfc5802_scram_sha1_vector() {
        run_vector(
            Mechanism::ScramSha1,
            "fyko+d2lbbFgONRv9qkxdawL",
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
        );
    }

    #[test]
    fn rfc7677_scram_sha256_vector() {
        run_vector(
            Mechanism::ScramSha256,
            "rOprNGfwEbeRWgbNEkqO",
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
             p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        );
    }

    #[test]
    fn wrong_server_signature_fails_the_login() {
        let mut auth = Authenticator::new(
            Mechanism::ScramSha1,
            "user",
            pw("pencil"),
            "fyko+d2lbbFgONRv9qkxdawL".into(),
        );
        auth.initial_response().unwrap();
        auth.respond(&b64(
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
        ))
        .unwrap();
        assert_eq!(
            auth.finish(Some(&b64("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=")))
                .err(),
            Some(SaslError::ServerSignatureMismatch)
        );
    }

    #[test]
    fn success_without_proof_fails_scram() {
        let mut auth =
            Authenticator::new(Mechanism::ScramSha256, "user", pw("pencil"), "abc".into());
        auth.initial_response().unwrap();
        auth.respond(&b64("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096"))
            .unwrap();
        assert_eq!(
            auth.finish(None).err(),
            Some(SaslError::ServerSignatureMismatch)
        );
    }

    #[test]
    fn hostile_server_first_messages_are_refused() {
        let cases = [
            ("r=zzz,s=QSXCR+Q6sek8bf92,i=4096", SaslError::NonceMismatch),
            ("r=abc,s=QSXCR+Q6sek8bf92,i=4096", SaslError::NonceMismatch),
            (
                "r=abcd,s=QSXCR+Q6sek8bf92,i=1",
                SaslError::IterationCount(1),
            ),
            (
                "r=abcd,s=QSXCR+Q6sek8bf92,i=4000000000",
                SaslError::IterationCount(4_000_000_000),
            ),
            ("r=abcd,i=4096", SaslError::Protocol("no salt")),
            (
                "m=ext,r=abcd,s=QQ==,i=4096",
                SaslError::Protocol("mandatory extension"),
            ),
            (
                "r=abcd,s=!!,i=4096",
                SaslError::Protocol("salt is not base64"),
            ),
        ];
        for (server_first, expected) in cases {
            let mut auth =
                Authenticator::new(Mechanism::ScramSha1, "user", pw("pencil"), "abc".into());
            auth.initial_response().unwrap();
            assert_eq!(
                auth.respond(&b64(server_first)),
                Err(expected),
                "{server_first}"
            );
        }
        let mut auth = Authenticator::new(Mechanism::ScramSha1, "user", pw("p"), "abc".into());
        auth.initial_response().unwrap();
        assert_eq!(auth.respond("%%%"), Err(SaslError::Protocol("not base64")));
    }

    #[test]
    fn server_final_as_challenge_is_verified() {
        let nonce = "fyko+d2lbbFgONRv9qkxdawL";
        let mut auth = Authenticator::new(Mechanism::ScramSha1, "user", pw("pencil"), nonce.into());
        auth.initial_response().unwrap();
        auth.respond(&b64(
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
        ))
        .unwrap();
        assert_eq!(
            auth.respond(&b64("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")),
            Ok(Zeroizing::new(String::new()))
        );
        assert!(auth.finish(None).is_ok());
    }

    #[test]
    fn plain_encodes_authcid_and_password() {
        let mut auth =
            Authenticator::new(Mechanism::Plain, "alice", pw("wonder land"), String::new());
        assert_eq!(
            *auth.initial_response().unwrap(),
            BASE64.encode(b"\0alice\0wonder land")
        );
        assert!(auth.finish(None).is_ok());
    }

    #[test]
    fn strongest_mechanism_wins_and_plain_is_last_resort() {
        let offered = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Mechanism::choose(&offered(&["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"]), true),
            Some(Mechanism::ScramSha256)
        );
        assert_eq!(
            Mechanism::choose(
                &offered(&["SCRAM-SHA-1", "SCRAM-SHA-512", "SCRAM-SHA-256"]),
                true
            ),
            Some(Mechanism::ScramSha512)
        );
        assert_eq!(
            Mechanism::choose(&offered(&["PLAIN", "SCRAM-SHA-1"]), true),
            Some(Mechanism::ScramSha1)
        );
        assert_eq!(
            Mechanism::choose(&offered(&["PLAIN"]), true),
            Some(Mechanism::Plain)
        );
        assert_eq!(
            Mechanism::choose(&offered(&["X-OAUTH2", "SCRAM-SHA-1-PLUS"]), true),
            None
        );
        // After a redirect PLAIN is never used: the new host would read the password.
        assert_eq!(Mechanism::choose(&offered(&["PLAIN"]), false), None);
    }

    #[test]
    fn usernames_with_separators_are_escaped() {
        assert_eq!(escape_username("a,b=c"), "a=2Cb=3Dc");
    }

    #[test]
    fn anonymous_sends_nothing_and_is_never_chosen_for_an_account() {
        let mut auth = Authenticator::new(Mechanism::Anonymous, "", Secret::Anonymous, "n".into());
        assert_eq!(auth.initial_response().unwrap().as_str(), "");
        assert!(matches!(auth.finish(None), Ok(None)));
        assert_eq!(
            Mechanism::choose(&["ANONYMOUS".to_owned()], true),
            None,
            "a password login never falls back to a guest address"
        );
        let mut mixed = Authenticator::new(Mechanism::Anonymous, "u", pw("p"), "n".into());
        assert!(matches!(
            mixed.initial_response(),
            Err(SaslError::KeysDoNotFit)
        ));
        let mut mixed = Authenticator::new(Mechanism::Plain, "u", Secret::Anonymous, "n".into());
        assert!(matches!(
            mixed.initial_response(),
            Err(SaslError::KeysDoNotFit)
        ));
    }
}
