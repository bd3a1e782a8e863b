//! XEP-0156: finding the WebSocket endpoint of a domain from `https://<domain>/.well-known/host-meta`
//! (XRD, §3.2) or `host-meta.json` (JRD, §3.3). Fetching is the browser's job; this module names the
//! URLs and reads the answers. Links are kept only if the wss policy accepts them: `ws://` links are
//! ignored, and a document that offers only `ws://` is an error of its own.

use super::policy::{check_websocket_url, UrlError};
use crate::xmpp::xml::parse_document;
use std::fmt;

pub const WEBSOCKET_REL: &str = "urn:xmpp:alt-connections:websocket";
const XRD_NS: &str = "http://docs.oasis-open.org/ns/xri/xrd-1.0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryError {
    /// Neither document could be fetched or read.
    NotFound,
    /// The browser read neither document at all: this page's CSP (`connect-src`) or a missing
    /// CORS header on the domain blocked it (or the domain is unreachable); the browser does not
    /// say which.
    Blocked { domain: String },
    /// The domain only advertises unencrypted `ws://` endpoints.
    OnlyInsecure,
    /// No usable WebSocket link at all.
    NoWebSocket,
}

impl fmt::Display for DiscoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => f.write_str(
                "could not find this server's WebSocket address; enter it under Advanced (wss://...)",
            ),
            Self::Blocked { domain } => write!(
                f,
                "the browser could not read https://{domain}/.well-known/host-meta (blocked by this site's security policy or the server's CORS header, or unreachable)"
            ),
            Self::OnlyInsecure => f.write_str(
                "this server only offers unencrypted ws:// connections, which Parley refuses",
            ),
            Self::NoWebSocket => f.write_str("this server does not offer XMPP over WebSocket"),
        }
    }
}

/// The two documents to try, JSON first (cheaper to read).
pub fn host_meta_urls(domain: &str) -> [String; 2] {
    [
        format!("https://{domain}/.well-known/host-meta.json"),
        format!("https://{domain}/.well-known/host-meta"),
    ]
}

/// Reads a host-meta document (JSON or XRD, sniffed) and returns the first acceptable endpoint.
pub fn websocket_from_host_meta(body: &str) -> Result<String, DiscoveryError> {
    let links = if body.trim_start().starts_with('{') {
        json_links(body)
    } else {
        xrd_links(body)
    };
    pick(links)
}

fn pick(links: Vec<String>) -> Result<String, DiscoveryError> {
    let mut insecure = false;
    for link in links {
        match check_websocket_url(&link) {
            Ok(url) => return Ok(url),
            Err(UrlError::Insecure) => insecure = true,
            Err(_) => {}
        }
    }
    Err(if insecure {
        DiscoveryError::OnlyInsecure
    } else {
        DiscoveryError::NoWebSocket
    })
}

fn json_links(body: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Jrd {
        #[serde(default)]
        links: Vec<Link>,
    }
    #[derive(serde::Deserialize)]
    struct Link {
        rel: Option<String>,
        href: Option<String>,
    }
    serde_json::from_str::<Jrd>(body)
        .map(|jrd| {
            jrd.links
                .into_iter()
                .filter(|l| l.rel.as_deref() == Some(WEBSOCKET_REL))
                .filter_map(|l| l.href)
                .collect()
        })
        .unwrap_or_default()
}

fn xrd_links(body: &str) -> Vec<String> {
    // A document, not an XMPP frame: comments are skipped; DOCTYPEs are still refused.
    match parse_document(body) {
        Ok(Some(xrd)) if xrd.is("XRD", XRD_NS) => xrd
            .elements()
            .filter(|l| l.is("Link", XRD_NS) && l.get_attr("rel") == Some(WEBSOCKET_REL))
            .filter_map(|l| l.get_attr("href").map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XRD: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
  <Link rel="urn:xmpp:alt-connections:xbosh" href="https://example.org/http-bind"/>
  <Link rel="urn:xmpp:alt-connections:websocket" href="ws://example.org/plain"/>
  <Link rel="urn:xmpp:alt-connections:websocket" href="wss://example.org/xmpp-websocket"/>
</XRD>"#;

    #[test]
    fn xrd_gives_the_wss_link_and_skips_ws() {
        assert_eq!(
            websocket_from_host_meta(XRD).unwrap(),
            "wss://example.org/xmpp-websocket"
        );
    }

    #[test]
    fn comments_in_host_meta_are_fine() {
        let commented = XRD.replace(
            "<Link rel=\"urn:xmpp:alt-connections:xbosh\"",
            "<!-- BOSH --><Link rel=\"urn:xmpp:alt-connections:xbosh\"",
        );
        assert_eq!(
            websocket_from_host_meta(&format!("<!-- served by nginx -->{commented}")).unwrap(),
            "wss://example.org/xmpp-websocket"
        );
    }

    #[test]
    fn json_gives_the_wss_link() {
        let json = r#"{"links":[{"rel":"urn:xmpp:alt-connections:websocket","href":"wss://example.org/ws"}]}"#;
        assert_eq!(
            websocket_from_host_meta(json).unwrap(),
            "wss://example.org/ws"
        );
    }

    #[test]
    fn only_ws_is_a_clear_error() {
        let json = r#"{"links":[{"rel":"urn:xmpp:alt-connections:websocket","href":"ws://example.org/ws"}]}"#;
        assert_eq!(
            websocket_from_host_meta(json),
            Err(DiscoveryError::OnlyInsecure)
        );
        let xrd = XRD.replace("wss://example.org/xmpp-websocket", "ws://example.org/again");
        assert_eq!(
            websocket_from_host_meta(&xrd),
            Err(DiscoveryError::OnlyInsecure)
        );
    }

    #[test]
    fn garbage_has_no_websocket() {
        for body in [
            "",
            "{",
            "<html>nope</html>",
            "<!DOCTYPE x><XRD/>",
            r#"{"links":"x"}"#,
        ] {
            assert_eq!(
                websocket_from_host_meta(body),
                Err(DiscoveryError::NoWebSocket),
                "{body}"
            );
        }
    }

    #[test]
    fn urls_are_https_only() {
        let [a, b] = host_meta_urls("example.org");
        assert!(a.starts_with("https://") && b.starts_with("https://"));
    }
}
