//! The one wss-only policy. Every endpoint, whether configured, typed in the login form, discovered
//! (XEP-0156) or sent in a `see-other-uri` redirect (RFC 7395 §3.6.1), passes through
//! [`check_websocket_url`] before any connection is attempted. There is no fallback to `ws://`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// `ws://`: the connection would be unencrypted.
    Insecure,
    /// Any scheme other than `wss`.
    NotWebSocket(String),
    Malformed(&'static str),
    /// A redirect to a host that is neither the current one nor the account's domain.
    ForeignHost(String),
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Insecure => {
                f.write_str("unencrypted ws:// connections are refused; use a wss:// address")
            }
            Self::NotWebSocket(scheme) => {
                write!(f, "'{scheme}' is not a WebSocket address; use wss://")
            }
            Self::Malformed(why) => write!(f, "the WebSocket address is malformed ({why})"),
            Self::ForeignHost(host) => write!(f, "{host} is not this server"),
        }
    }
}

/// Accepts `wss://host[:port]/path` and returns it trimmed; refuses everything else.
pub fn check_websocket_url(url: &str) -> Result<String, UrlError> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(UrlError::Malformed("no scheme"));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "wss" => {}
        "ws" => return Err(UrlError::Insecure),
        other => return Err(UrlError::NotWebSocket(other.chars().take(20).collect())),
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlError::Malformed("spaces or control characters"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return Err(UrlError::Malformed("no host"));
    }
    if authority.contains('@') {
        return Err(UrlError::Malformed("credentials in the address"));
    }
    if url.contains('#') {
        return Err(UrlError::Malformed("a fragment"));
    }
    Ok(url.to_owned())
}

/// The host of a URL that passed [`check_websocket_url`], lowercased, without the port.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    match authority.strip_prefix('[') {
        // An IPv6 literal keeps its brackets: the port comes after them.
        Some(v6) => v6
            .split_once(']')
            .map_or(authority, |(inner, _)| &authority[..inner.len() + 2]),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

/// RFC 7395 §3.6.1 `see-other-uri`: a redirect is followed only to `wss://` on the host we are
/// connected to or on the account's own domain, so a compromised or hostile endpoint cannot send
/// the login (and SCRAM's proof) anywhere it likes.
pub fn check_redirect(
    current: &str,
    target: &str,
    account_domain: &str,
) -> Result<String, UrlError> {
    let target = check_websocket_url(target)?;
    let to = host(&target).to_ascii_lowercase();
    if to == host(current).to_ascii_lowercase() || to == account_domain.to_ascii_lowercase() {
        Ok(target)
    } else {
        Err(UrlError::ForeignHost(to.chars().take(64).collect()))
    }
}

/// Why the login is refused before connecting, apart from the URL itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextError {
    /// The page is not a secure context (https or localhost), so the password could be read in transit.
    InsecurePage,
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("this page was not loaded securely (https), so Parley will not send your password from it")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_this_host_or_the_account_domain() {
        let here = "wss://xmpp.example.org:5443/ws";
        assert_eq!(
            check_redirect(here, "wss://XMPP.example.org/other", "example.org").unwrap(),
            "wss://XMPP.example.org/other"
        );
        assert!(check_redirect(here, "wss://example.org:443/ws", "example.org").is_ok());
        assert_eq!(
            check_redirect(here, "wss://evil.example/ws", "example.org"),
            Err(UrlError::ForeignHost("evil.example".into()))
        );
        assert_eq!(
            check_redirect(here, "ws://xmpp.example.org/ws", "example.org"),
            Err(UrlError::Insecure)
        );
        // The host is what comes before the port, not a prefix match.
        assert!(
            check_redirect(here, "wss://xmpp.example.org.evil.example/", "example.org").is_err()
        );
        assert!(check_redirect("wss://[::1]:5443/ws", "wss://[::1]/x", "localhost").is_ok());
    }

    #[test]
    fn wss_is_accepted() {
        assert_eq!(
            check_websocket_url(" wss://localhost:5443/xmpp-websocket ").unwrap(),
            "wss://localhost:5443/xmpp-websocket"
        );
        assert!(check_websocket_url("WSS://Example.org/ws?x=1").is_ok());
    }

    #[test]
    fn everything_else_is_refused() {
        assert_eq!(
            check_websocket_url("ws://localhost/xmpp"),
            Err(UrlError::Insecure)
        );
        assert_eq!(
            check_websocket_url("WS://localhost/xmpp"),
            Err(UrlError::Insecure)
        );
        assert!(matches!(
            check_websocket_url("https://localhost/"),
            Err(UrlError::NotWebSocket(_))
        ));
        assert!(matches!(
            check_websocket_url("javascript://alert(1)"),
            Err(UrlError::NotWebSocket(_))
        ));
        assert!(matches!(
            check_websocket_url("localhost:5443"),
            Err(UrlError::Malformed(_))
        ));
        assert!(matches!(
            check_websocket_url("wss:///path"),
            Err(UrlError::Malformed(_))
        ));
        assert!(matches!(
            check_websocket_url("wss://user:pw@host/"),
            Err(UrlError::Malformed(_))
        ));
        assert!(matches!(
            check_websocket_url("wss://ho st/"),
            Err(UrlError::Malformed(_))
        ));
    }
}
