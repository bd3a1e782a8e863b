//! Deployment configuration: `config.json` beside `index.html`, documented field by field in
//! `docs/configuration.md`, its JSON Schema in `public/config.schema.json`.
//!
//! A missing file means defaults (ask for full addresses, discover the endpoint with XEP-0156,
//! every feature shown). An invalid file is an error shown on the page that names the field, never
//! silently ignored: a typo in `websocket_url` must not send people to the wrong place. The file
//! is read in two steps: serde (through `serde_path_to_error`, so that a wrong type or an unknown
//! key names its place) into [`RawConfig`], then checks that turn it into typed values.

use crate::i18n::Lang;
use crate::transport::policy::{check_websocket_url, UrlError};
use crate::xmpp::jid::BareJid;
use crate::xmpp::ClientConfig;
use serde::Deserialize;
use std::fmt;

/// Frames below this cannot carry a login's stream features; above it a hostile server could
/// make the tab hold a huge string.
pub const FRAME_LIMITS: (usize, usize) = (65_536, 67_108_864);
/// Enough for a portal's list of rooms; more belongs in the room browser.
const MAX_ROOMS: usize = 50;
const MAX_PRODUCT_NAME: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Completes `user` to `user@default_domain` in the login form.
    pub default_domain: Option<String>,
    /// Only accounts of this domain may log in; the login form then asks for the user name only.
    pub locked_domain: Option<String>,
    /// The XMPP WebSocket endpoint; wss:// only. Without it the endpoint is discovered.
    pub websocket_url: Option<String>,
    /// Frames larger than this end the connection (default 8 MiB).
    pub max_frame_bytes: Option<usize>,
    /// The room service the room browser lists first, instead of the discovered one.
    pub muc_service: Option<BareJid>,
    /// Rooms offered to everyone, some entered at login.
    pub rooms: Vec<ConfiguredRoom>,
    pub branding: Branding,
    /// The interface languages offered, in the picker's order; all of them by default.
    pub languages: Vec<Lang>,
    /// The language for people whose browser prefers none of those offered.
    pub default_language: Lang,
    pub features: Features,
    pub embed: Embed,
    /// Guests sign in without an account (SASL ANONYMOUS) on this domain, when its server offers it.
    pub guest_domain: Option<BareJid>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            default_domain: None,
            locked_domain: None,
            websocket_url: None,
            max_frame_bytes: None,
            muc_service: None,
            rooms: Vec::new(),
            branding: Branding::default(),
            languages: Lang::ALL.to_vec(),
            default_language: Lang::En,
            features: Features::default(),
            embed: Embed::default(),
            guest_domain: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredRoom {
    pub room: BareJid,
    /// Shown until the room's own name is known.
    pub name: Option<String>,
    /// Entered at login; otherwise offered with a button.
    pub autojoin: bool,
    /// The nickname to enter with; the account's user name by default.
    pub nick: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// In the header, on the login page and in the tab's title; "Parley" by default.
    pub product_name: Option<String>,
    /// A path on this site (never another origin: the CSP allows only 'self').
    pub logo: Option<String>,
    /// `#rgb` or `#rrggbb`; buttons, links and focus rings take it.
    pub accent_color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    pub room_browser: bool,
    pub contact_management: bool,
    /// XEP-0077: the "Create an account" link, where the server offers registration.
    pub registration: bool,
}

impl Default for Features {
    fn default() -> Self {
        Self {
            room_browser: true,
            contact_management: true,
            registration: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    /// The compact single-pane layout without `?embed=1`.
    pub enabled: bool,
    /// Exact origins (`https://portal.example.org`) whose pages may talk to the iframe API.
    pub allowed_origins: Vec<String>,
    /// Whether the new-message notice to the parent page carries the message's text.
    pub message_bodies: bool,
}

impl Config {
    /// The product's name as the person sees it.
    pub fn product_name(&self) -> &str {
        self.branding.product_name.as_deref().unwrap_or("Parley")
    }

    /// The core's settings for `account` under this deployment's limits.
    pub fn client_config(&self, account: BareJid) -> ClientConfig {
        let mut client = ClientConfig::new(account);
        if let Some(limit) = self.max_frame_bytes {
            client.max_frame_bytes = limit;
        }
        client
    }

    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        let raw: RawConfig = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            ConfigError::Invalid {
                // "." is the whole file, "?" a place the parser never reached (a syntax error).
                field: if field == "." || field == "?" {
                    String::new()
                } else {
                    field
                },
                detail: e.into_inner().to_string(),
            }
        })?;
        raw.check()
    }
}

/// What is wrong with one field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    Empty,
    NotADomain,
    NotARoom,
    WebSocketUrl(UrlError),
    OutOfRange {
        min: usize,
        max: usize,
    },
    TooMany {
        max: usize,
    },
    TooLong {
        max: usize,
    },
    UnknownLanguage,
    /// `default_language` is not among `languages`.
    NotOffered,
    Duplicate,
    /// The logo is not a path on this site.
    NotSameOrigin,
    NotAColour,
    NotAnOrigin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Not JSON, an unknown key or a value of the wrong type; `field` is where (empty: the file).
    Invalid { field: String, detail: String },
    /// A value of the right type that cannot be used.
    Field {
        field: String,
        problem: FieldProblem,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid { field, detail } if field.is_empty() => {
                write!(f, "config.json is invalid: {detail}")
            }
            Self::Invalid { field, detail } => write!(f, "config.json: {field}: {detail}"),
            Self::Field { field, problem } => write!(f, "config.json: {field}: {problem:?}"),
        }
    }
}

fn problem(field: impl Into<String>, problem: FieldProblem) -> ConfigError {
    ConfigError::Field {
        field: field.into(),
        problem,
    }
}

/// The file as written; every key optional, none unknown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Where an editor finds the schema; Parley has its own copy.
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    default_domain: Option<String>,
    locked_domain: Option<String>,
    websocket_url: Option<String>,
    max_frame_bytes: Option<usize>,
    muc_service: Option<String>,
    #[serde(default)]
    rooms: Vec<RawRoom>,
    #[serde(default)]
    branding: RawBranding,
    languages: Option<Vec<String>>,
    default_language: Option<String>,
    #[serde(default)]
    features: RawFeatures,
    #[serde(default)]
    embed: RawEmbed,
    guest: Option<RawGuest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuest {
    domain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoom {
    address: String,
    name: Option<String>,
    #[serde(default)]
    autojoin: bool,
    nick: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranding {
    product_name: Option<String>,
    logo: Option<String>,
    accent_color: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeatures {
    room_browser: Option<bool>,
    contact_management: Option<bool>,
    registration: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmbed {
    #[serde(default)]
    enabled: bool,
    #[serde(default)]
    allowed_origins: Vec<String>,
    #[serde(default)]
    message_bodies: bool,
}

impl RawConfig {
    fn check(self) -> Result<Config, ConfigError> {
        if let Some(url) = &self.websocket_url {
            check_websocket_url(url)
                .map_err(|e| problem("websocket_url", FieldProblem::WebSocketUrl(e)))?;
        }
        for (field, value) in [
            ("default_domain", &self.default_domain),
            ("locked_domain", &self.locked_domain),
        ] {
            if let Some(value) = value {
                domain(field, value)?;
            }
        }
        if let Some(limit) = self.max_frame_bytes {
            let (min, max) = FRAME_LIMITS;
            if !(min..=max).contains(&limit) {
                return Err(problem(
                    "max_frame_bytes",
                    FieldProblem::OutOfRange { min, max },
                ));
            }
        }
        let muc_service = self
            .muc_service
            .as_deref()
            .map(|s| domain("muc_service", s))
            .transpose()?;
        let rooms = rooms(self.rooms)?;
        let branding = branding(self.branding)?;
        let (languages, default_language) = languages(self.languages, self.default_language)?;
        let embed = embed(self.embed)?;
        let guest_domain = self
            .guest
            .map(|g| domain("guest.domain", &g.domain))
            .transpose()?;
        let defaults = Features::default();
        Ok(Config {
            default_domain: self.default_domain,
            locked_domain: self.locked_domain,
            websocket_url: self.websocket_url,
            max_frame_bytes: self.max_frame_bytes,
            muc_service,
            rooms,
            branding,
            languages,
            default_language,
            features: Features {
                room_browser: self.features.room_browser.unwrap_or(defaults.room_browser),
                contact_management: self
                    .features
                    .contact_management
                    .unwrap_or(defaults.contact_management),
                registration: self.features.registration.unwrap_or(defaults.registration),
            },
            embed,
            guest_domain,
        })
    }
}

/// A domain alone: `example.org`, not `user@example.org` or `example.org/x`.
fn domain(field: &str, value: &str) -> Result<BareJid, ConfigError> {
    if value.trim().is_empty() {
        return Err(problem(field, FieldProblem::Empty));
    }
    match BareJid::new(value.trim()) {
        Ok(jid) if jid.node().is_none() => Ok(jid),
        _ => Err(problem(field, FieldProblem::NotADomain)),
    }
}

fn rooms(raw: Vec<RawRoom>) -> Result<Vec<ConfiguredRoom>, ConfigError> {
    if raw.len() > MAX_ROOMS {
        return Err(problem("rooms", FieldProblem::TooMany { max: MAX_ROOMS }));
    }
    let mut rooms: Vec<ConfiguredRoom> = Vec::with_capacity(raw.len());
    for (i, entry) in raw.into_iter().enumerate() {
        let room = match BareJid::new(entry.address.trim()) {
            Ok(room) if room.node().is_some() => room,
            _ => {
                return Err(problem(
                    format!("rooms[{i}].address"),
                    FieldProblem::NotARoom,
                ))
            }
        };
        if rooms.iter().any(|r| r.room == room) {
            return Err(problem(
                format!("rooms[{i}].address"),
                FieldProblem::Duplicate,
            ));
        }
        for (key, value) in [("name", &entry.name), ("nick", &entry.nick)] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(problem(format!("rooms[{i}].{key}"), FieldProblem::Empty));
            }
        }
        rooms.push(ConfiguredRoom {
            room,
            name: entry.name,
            autojoin: entry.autojoin,
            nick: entry.nick.map(|n| n.trim().to_owned()),
        });
    }
    Ok(rooms)
}

fn branding(raw: RawBranding) -> Result<Branding, ConfigError> {
    if let Some(problem_found) = raw.product_name.as_deref().and_then(product_name_problem) {
        return Err(problem("branding.product_name", problem_found));
    }
    if let Some(logo) = &raw.logo {
        if !is_same_origin_path(logo) {
            return Err(problem("branding.logo", FieldProblem::NotSameOrigin));
        }
    }
    if let Some(colour) = &raw.accent_color {
        if !is_hex_colour(colour) {
            return Err(problem("branding.accent_color", FieldProblem::NotAColour));
        }
    }
    Ok(Branding {
        product_name: raw.product_name.map(|n| n.trim().to_owned()),
        logo: raw.logo,
        accent_color: raw.accent_color,
    })
}

/// What is wrong with `branding.product_name`, if anything (it is shown trimmed).
pub fn product_name_problem(name: &str) -> Option<FieldProblem> {
    if name.trim().is_empty() {
        Some(FieldProblem::Empty)
    } else if name.chars().count() > MAX_PRODUCT_NAME {
        Some(FieldProblem::TooLong {
            max: MAX_PRODUCT_NAME,
        })
    } else {
        None
    }
}

/// A relative path or an absolute path on this origin: no scheme, no `//host`, nothing that
/// a browser would read as another place.
fn is_same_origin_path(path: &str) -> bool {
    let before_slash = path.split('/').next().unwrap_or("");
    !path.is_empty()
        && !path.starts_with("//")
        && !before_slash.contains(':')
        && !path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
}

pub fn is_hex_colour(colour: &str) -> bool {
    let Some(hex) = colour.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// `languages` and `default_language` as written: the languages offered, and the default.
pub fn languages(
    offered: Option<Vec<String>>,
    default: Option<String>,
) -> Result<(Vec<Lang>, Lang), ConfigError> {
    let languages = match offered {
        None => Lang::ALL.to_vec(),
        Some(codes) if codes.is_empty() => {
            return Err(problem("languages", FieldProblem::Empty));
        }
        Some(codes) => {
            let mut languages = Vec::with_capacity(codes.len());
            for (i, code) in codes.iter().enumerate() {
                let lang = known_language(&format!("languages[{i}]"), code)?;
                if languages.contains(&lang) {
                    return Err(problem(format!("languages[{i}]"), FieldProblem::Duplicate));
                }
                languages.push(lang);
            }
            languages
        }
    };
    let default = match default {
        Some(code) => {
            let lang = known_language("default_language", &code)?;
            if !languages.contains(&lang) {
                return Err(problem("default_language", FieldProblem::NotOffered));
            }
            lang
        }
        None if languages.contains(&Lang::En) => Lang::En,
        None => languages[0],
    };
    Ok((languages, default))
}

fn known_language(field: &str, code: &str) -> Result<Lang, ConfigError> {
    Lang::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .ok_or_else(|| problem(field, FieldProblem::UnknownLanguage))
}

fn embed(raw: RawEmbed) -> Result<Embed, ConfigError> {
    for (i, origin) in raw.allowed_origins.iter().enumerate() {
        if !is_origin(origin) {
            return Err(problem(
                format!("embed.allowed_origins[{i}]"),
                FieldProblem::NotAnOrigin,
            ));
        }
    }
    Ok(Embed {
        enabled: raw.enabled,
        allowed_origins: raw.allowed_origins,
        message_bodies: raw.message_bodies,
    })
}

/// An origin as a browser serialises it (`MessageEvent.origin`): `https://host` or
/// `https://host:port`, lowercase, with no path, so that comparing strings is comparing origins.
fn is_origin(origin: &str) -> bool {
    let Some(authority) = origin.strip_prefix("https://") else {
        return false;
    };
    !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-:[]".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_problem(json: &str) -> (String, FieldProblem) {
        match Config::parse(json) {
            Err(ConfigError::Field { field, problem }) => (field, problem),
            other => panic!("expected a field problem for {json}, got {other:?}"),
        }
    }

    fn invalid_field(json: &str) -> String {
        match Config::parse(json) {
            Err(ConfigError::Invalid { field, .. }) => field,
            other => panic!("expected an invalid file for {json}, got {other:?}"),
        }
    }

    #[test]
    fn empty_object_is_defaults() {
        let config = Config::parse("{}").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.languages, Lang::ALL.to_vec());
        assert!(config.features.room_browser && config.features.contact_management);
        assert_eq!(config.product_name(), "Parley");
    }

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            r##"{"default_domain":"localhost","websocket_url":"wss://localhost:5443/xmpp-websocket",
            "locked_domain":"localhost","max_frame_bytes":2097152,"muc_service":"conference.localhost",
            "rooms":[{"address":"lobby@conference.localhost","autojoin":true,"nick":"guest"},
                     {"address":"tea@conference.localhost","name":"Tea"}],
            "branding":{"product_name":"Acme Chat","logo":"logo.svg","accent_color":"#0a7"},
            "languages":["fr","en"],"default_language":"fr",
            "features":{"room_browser":false,"contact_management":false},
            "embed":{"enabled":true,"allowed_origins":["https://portal.example.org","https://localhost:5447"],
                     "message_bodies":true}}"##,
        )
        .unwrap();
        assert_eq!(c.default_domain.as_deref(), Some("localhost"));
        assert_eq!(
            c.client_config(BareJid::new("a@localhost").unwrap())
                .max_frame_bytes,
            2097152
        );
        assert_eq!(
            c.muc_service.as_ref().map(ToString::to_string).as_deref(),
            Some("conference.localhost")
        );
        assert_eq!(c.rooms.len(), 2);
        assert!(c.rooms[0].autojoin && !c.rooms[1].autojoin);
        assert_eq!(c.rooms[0].nick.as_deref(), Some("guest"));
        assert_eq!(c.product_name(), "Acme Chat");
        assert_eq!(c.languages, vec![Lang::Fr, Lang::En]);
        assert_eq!(c.default_language, Lang::Fr);
        assert!(!c.features.room_browser && !c.features.contact_management);
        assert!(c.embed.enabled && c.embed.message_bodies);
        assert_eq!(c.embed.allowed_origins.len(), 2);
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_their_field() {
        assert_eq!(invalid_field(r#"{"default_domian":"x"}"#), "default_domian");
        assert_eq!(
            invalid_field(r#"{"features":{"room_browser":"yes"}}"#),
            "features.room_browser"
        );
        assert_eq!(
            invalid_field(r#"{"rooms":[{"address":"a@b"},{"adress":"c@d"}]}"#),
            "rooms[1].adress"
        );
        assert_eq!(
            invalid_field(r#"{"max_frame_bytes":-1}"#),
            "max_frame_bytes"
        );
        assert_eq!(invalid_field("{"), "");
        assert_eq!(invalid_field("[]"), "");
    }

    #[test]
    fn endpoints_must_be_wss_and_may_be_onion_services() {
        assert_eq!(
            field_problem(r#"{"websocket_url":"ws://localhost/xmpp"}"#),
            (
                "websocket_url".into(),
                FieldProblem::WebSocketUrl(UrlError::Insecure)
            )
        );
        let onion = Config::parse(
            r#"{"websocket_url":"wss://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/xmpp-websocket"}"#,
        );
        assert!(onion.is_ok(), "{onion:?}");
    }

    #[test]
    fn guests_have_a_domain() {
        let c = Config::parse(r#"{"guest":{"domain":"guest.example.org"}}"#).unwrap();
        assert_eq!(
            c.guest_domain.map(|d| d.to_string()).as_deref(),
            Some("guest.example.org")
        );
        assert_eq!(
            field_problem(r#"{"guest":{"domain":"a@guest.example.org"}}"#),
            ("guest.domain".into(), FieldProblem::NotADomain)
        );
        assert_eq!(invalid_field(r#"{"guest":{}}"#), "guest");
    }

    #[test]
    fn domains_are_domains() {
        assert_eq!(
            field_problem(r#"{"default_domain":" "}"#),
            ("default_domain".into(), FieldProblem::Empty)
        );
        assert_eq!(
            field_problem(r#"{"locked_domain":"user@example.org"}"#),
            ("locked_domain".into(), FieldProblem::NotADomain)
        );
        assert_eq!(
            field_problem(r#"{"muc_service":"conference.example.org/x"}"#),
            ("muc_service".into(), FieldProblem::NotADomain)
        );
    }

    #[test]
    fn frame_limit_is_bounded() {
        let (min, max) = FRAME_LIMITS;
        assert_eq!(
            field_problem(r#"{"max_frame_bytes":100}"#),
            (
                "max_frame_bytes".into(),
                FieldProblem::OutOfRange { min, max }
            )
        );
    }

    #[test]
    fn rooms_are_room_addresses_once_each() {
        assert_eq!(
            field_problem(r#"{"rooms":[{"address":"conference.example.org"}]}"#),
            ("rooms[0].address".into(), FieldProblem::NotARoom)
        );
        assert_eq!(
            field_problem(r#"{"rooms":[{"address":"a@c.org"},{"address":"a@c.org"}]}"#),
            ("rooms[1].address".into(), FieldProblem::Duplicate)
        );
        assert_eq!(
            field_problem(r#"{"rooms":[{"address":"a@c.org","nick":" "}]}"#),
            ("rooms[0].nick".into(), FieldProblem::Empty)
        );
        let many = format!(
            r#"{{"rooms":[{}]}}"#,
            (0..=MAX_ROOMS)
                .map(|i| format!(r#"{{"address":"r{i}@c.org"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(
            field_problem(&many),
            ("rooms".into(), FieldProblem::TooMany { max: MAX_ROOMS })
        );
    }

    #[test]
    fn branding_stays_on_this_site() {
        for logo in [
            "https://evil.example/x.png",
            "//evil.example/x.png",
            "javascript:alert(1)",
            "data:image/png;base64,AA",
            "a b.png",
            "\\\\evil\\x.png",
            "",
        ] {
            let json = serde_json::json!({ "branding": { "logo": logo } }).to_string();
            assert_eq!(
                field_problem(&json),
                ("branding.logo".into(), FieldProblem::NotSameOrigin),
                "{logo}"
            );
        }
        for logo in ["logo.svg", "/chat/img/logo.png", "img/logo.webp"] {
            let json = serde_json::json!({ "branding": { "logo": logo } }).to_string();
            assert!(Config::parse(&json).is_ok(), "{logo}");
        }
        for colour in ["red", "#12345", "#ggg", "0a7", "#0a7; background: url(x)"] {
            let json = serde_json::json!({ "branding": { "accent_color": colour } }).to_string();
            assert_eq!(
                field_problem(&json),
                ("branding.accent_color".into(), FieldProblem::NotAColour),
                "{colour}"
            );
        }
        assert_eq!(
            field_problem(&format!(
                r#"{{"branding":{{"product_name":"{}"}}}}"#,
                "x".repeat(61)
            )),
            (
                "branding.product_name".into(),
                FieldProblem::TooLong { max: 60 }
            )
        );
    }

    #[test]
    fn languages_are_offered_ones() {
        assert_eq!(
            field_problem(r#"{"languages":["en","de"]}"#),
            ("languages[1]".into(), FieldProblem::UnknownLanguage)
        );
        assert_eq!(
            field_problem(r#"{"languages":["en","en"]}"#),
            ("languages[1]".into(), FieldProblem::Duplicate)
        );
        assert_eq!(
            field_problem(r#"{"languages":[]}"#),
            ("languages".into(), FieldProblem::Empty)
        );
        assert_eq!(
            field_problem(r#"{"languages":["fr"],"default_language":"ru"}"#),
            ("default_language".into(), FieldProblem::NotOffered)
        );
        let only_russian = Config::parse(r#"{"languages":["ru"]}"#).unwrap();
        assert_eq!(only_russian.default_language, Lang::Ru);
    }

    #[test]
    fn embedding_origins_are_exact_https_origins() {
        for origin in [
            "*",
            "http://portal.example.org",
            "https://portal.example.org/",
            "https://portal.example.org/page",
            "https://Portal.example.org",
            "https://",
        ] {
            let json = serde_json::json!({ "embed": { "allowed_origins": [origin] } }).to_string();
            assert_eq!(
                field_problem(&json),
                ("embed.allowed_origins[0]".into(), FieldProblem::NotAnOrigin),
                "{origin}"
            );
        }
    }

    /// Every property of the shipped schema is a key this parser takes, and the other way round:
    /// the schema's `examples` parse, and a key the schema lacks is refused.
    #[test]
    fn schema_matches_the_parser() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../public/config.schema.json")).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let properties = schema["properties"].as_object().unwrap();
        for (key, property) in properties {
            let examples = property["examples"]
                .as_array()
                .unwrap_or_else(|| panic!("{key} has no examples in the schema"));
            for example in examples {
                let json = serde_json::json!({ key: example }).to_string();
                assert!(
                    Config::parse(&json).is_ok(),
                    "{json}: {:?}",
                    Config::parse(&json)
                );
            }
        }
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        let mut expected = vec![
            "$schema",
            "default_domain",
            "locked_domain",
            "websocket_url",
            "max_frame_bytes",
            "muc_service",
            "rooms",
            "branding",
            "languages",
            "default_language",
            "features",
            "embed",
            "guest",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }
}
