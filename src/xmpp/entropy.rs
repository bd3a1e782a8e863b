//! Randomness for the client: SCRAM nonces (RFC 5802 §5.1) and stanza ids.
//!
//! The [`Client`](super::Client) never draws randomness itself; the caller passes in [`Entropy`],
//! which keeps tests deterministic. In the browser `getrandom` uses `crypto.getRandomValues`.

/// 32 bytes from a CSPRNG: 18 feed the SCRAM client nonce, the next 8 the stanza id prefix (the
/// first connection's), the last 6 nothing yet.
#[derive(Clone)]
pub struct Entropy(pub [u8; 32]);

/// Why no randomness could be had. Without it there is no safe login, so this is fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntropyUnavailable;

impl std::fmt::Display for EntropyUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this browser provides no secure random numbers, so a safe login is impossible")
    }
}

impl Entropy {
    /// Fresh bytes from the operating system or the browser.
    pub fn fresh() -> Result<Self, EntropyUnavailable> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| EntropyUnavailable)?;
        Ok(Self(bytes))
    }
}
