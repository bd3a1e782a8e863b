//! Deployment configuration: `config.json` beside `index.html`.
//!
//! A missing file means defaults (ask for full addresses, discover the endpoint with XEP-0156).
//! An invalid file is an error shown on the page, never silently ignored: a typo in
//! `websocket_url` must not send people to the wrong place.

use crate::transport::policy::{check_websocket_url, UrlError};
use crate::xmpp::jid::BareJid;
use crate::xmpp::ClientConfig;
use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Completes `user` to `user@default_domain` in the login form.
    #[serde(default)]
    pub default_domain: Option<String>,
    /// The XMPP WebSocket endpoint; wss:// only. Without it the endpoint is discovered.
    #[serde(default)]
    pub websocket_url: Option<String>,
    /// Only accounts of this domain may log in; the login form then asks for the user name only.
    #[serde(default)]
    pub locked_domain: Option<String>,
    /// Frames larger than this end the connection (default 1 MiB).
    #[serde(default)]
    pub max_frame_bytes: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Not JSON, or fields of the wrong type or unknown: the serde message names the place.
    Invalid(String),
    WebSocketUrl(UrlError),
    EmptyDomain(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(e) => write!(f, "config.json is invalid: {e}"),
            Self::WebSocketUrl(e) => write!(f, "config.json has an unusable websocket_url: {e}"),
            Self::EmptyDomain(field) => write!(f, "config.json: {field} is empty"),
        }
    }
}

impl Config {
    /// The core's settings for `account` under this deployment's limits.
    pub fn client_config(&self, account: BareJid) -> ClientConfig {
        let mut client = ClientConfig::new(account);
        if let Some(limit) = self.max_frame_bytes {
            client.max_frame_bytes = limit;
        }
        client
    }

    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let config: Config =
            serde_json::from_str(json).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if let Some(url) = &config.websocket_url {
            check_websocket_url(url).map_err(ConfigError::WebSocketUrl)?;
        }
        for (field, value) in [
            ("default_domain", &config.default_domain),
            ("locked_domain", &config.locked_domain),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(ConfigError::EmptyDomain(field));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_is_defaults() {
        assert_eq!(Config::parse("{}"), Ok(Config::default()));
    }

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            r#"{"default_domain":"localhost","websocket_url":"wss://localhost:5443/xmpp-websocket","locked_domain":"localhost"}"#,
        )
        .unwrap();
        assert_eq!(c.default_domain.as_deref(), Some("localhost"));
    }

    #[test]
    fn insecure_or_invalid_configs_are_errors() {
        assert!(matches!(
            Config::parse(r#"{"websocket_url":"ws://localhost/xmpp"}"#),
            Err(ConfigError::WebSocketUrl(UrlError::Insecure))
        ));
        assert!(matches!(
            Config::parse(r#"{"default_domian":"x"}"#),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(Config::parse("{"), Err(ConfigError::Invalid(_))));
        assert!(matches!(
            Config::parse(r#"{"default_domain":" "}"#),
            Err(ConfigError::EmptyDomain(_))
        ));
    }
}
