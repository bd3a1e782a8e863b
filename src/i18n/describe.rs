//! The typed errors of the core and the transport as localised sentences that say what to do.
//! Text that came from the server (a stream error's text, an error condition) is appended
//! verbatim, never translated or interpreted.

use super::{t, Key, Lang};
use crate::config::{ConfigError, FieldProblem};
use crate::transport::discovery::DiscoveryError;
use crate::transport::policy::{ContextError, UrlError};
use crate::transport::ConnectError;
use crate::xmpp::entropy::EntropyUnavailable;
use crate::xmpp::jid::{AddressError, JidError};
use crate::xmpp::muc::room::JoinError;
use crate::xmpp::muc::Departure;
use crate::xmpp::register::RegisterError;
use crate::xmpp::sasl::SaslError;
use crate::xmpp::xml::XmlError;
use crate::xmpp::{CloseReason, SendError, SessionError};

/// A localised sentence followed by a detail that is not translated (a server condition, a URL,
/// a domain), e.g. "The server closed the connection: system-shutdown".
fn with_detail(lang: Lang, key: Key, detail: &str) -> String {
    // French typography puts a (narrow no-break) space before the colon.
    let colon = if lang == Lang::Fr { "\u{202f}:" } else { ":" };
    format!("{}{colon} {detail}", t(lang, key))
}

pub fn describe_session_error(lang: Lang, error: &SessionError) -> String {
    match error {
        SessionError::WrongCredentials => t(lang, Key::ErrWrongCredentials).to_owned(),
        SessionError::AuthFailed { condition, text } => with_detail(
            lang,
            Key::ErrAuthFailed,
            &server_detail(condition, text.as_deref()),
        ),
        SessionError::Sasl(e) => describe_sasl_error(lang, e),
        SessionError::NoSupportedMechanism { offered } => {
            let offered = if offered.is_empty() {
                "-".to_owned()
            } else {
                offered.join(", ")
            };
            with_detail(lang, Key::ErrNoMechanism, &offered)
        }
        SessionError::StreamError { condition, text } => with_detail(
            lang,
            Key::ErrStream,
            &server_detail(condition, text.as_deref()),
        ),
        SessionError::FrameTooLarge { size, limit } => {
            with_detail(lang, Key::ErrFrameTooLarge, &format!("{size} > {limit}"))
        }
        SessionError::Timeout { .. } => t(lang, Key::ErrTimeout).to_owned(),
        SessionError::BindFailed { condition } => with_detail(lang, Key::ErrBindFailed, condition),
        SessionError::Protocol(what) => with_detail(lang, Key::ErrProtocol, what),
        SessionError::ConnectionLost(None) => t(lang, Key::ErrConnectionLost).to_owned(),
        SessionError::ConnectionLost(Some(CloseReason { code, reason })) => with_detail(
            lang,
            Key::ErrSocketClosed,
            &server_detail(&code.to_string(), Some(reason)),
        ),
        SessionError::NoResponse => t(lang, Key::ErrNoResponse).to_owned(),
        SessionError::SeeOtherUri(uri) => with_detail(lang, Key::ErrRedirect, uri),
        SessionError::Registration(e) => describe_register_error(lang, e),
    }
}

/// XEP-0077 refusals; the server's own words follow where it gave them.
pub fn describe_register_error(lang: Lang, error: &RegisterError) -> String {
    let key = match error {
        RegisterError::NotOffered => Key::ErrRegisterNotOffered,
        RegisterError::Taken => Key::ErrRegisterTaken,
        RegisterError::NotAcceptable { .. } => Key::ErrRegisterNotAcceptable,
        RegisterError::NotAllowed { .. } => Key::ErrRegisterNotAllowed,
        RegisterError::Throttled => Key::ErrRegisterThrottled,
        RegisterError::Elsewhere { .. } => Key::ErrRegisterElsewhere,
        RegisterError::Other { condition, text } => {
            return with_detail(
                lang,
                Key::ErrRegisterOther,
                &server_detail(condition, text.as_deref()),
            )
        }
    };
    match error.server_text() {
        Some(text) => format!("{} ({text})", t(lang, key)),
        None => t(lang, key).to_owned(),
    }
}

/// `condition` or `condition — text`, both as the server sent them.
fn server_detail(condition: &str, text: Option<&str>) -> String {
    match text {
        Some(text) if !text.trim().is_empty() => format!("{condition} — {text}"),
        _ => condition.to_owned(),
    }
}

fn describe_sasl_error(lang: Lang, error: &SaslError) -> String {
    match error {
        SaslError::InvalidPassword => t(lang, Key::ErrSaslInvalidPassword).to_owned(),
        SaslError::InvalidUsername => t(lang, Key::ErrSaslInvalidUsername).to_owned(),
        SaslError::Protocol(_) => t(lang, Key::ErrSaslProtocol).to_owned(),
        SaslError::NonceMismatch => t(lang, Key::ErrSaslNonce).to_owned(),
        SaslError::IterationCount(n) => with_detail(lang, Key::ErrSaslIterations, &n.to_string()),
        SaslError::ServerSignatureMismatch => t(lang, Key::ErrSaslSignature).to_owned(),
        SaslError::ServerError(e) => with_detail(lang, Key::ErrSaslServer, e),
        SaslError::KeysDoNotFit => t(lang, Key::ErrSaslKeysDoNotFit).to_owned(),
    }
}

pub fn describe_address_error(lang: Lang, error: &AddressError) -> String {
    match error {
        AddressError::Empty => t(lang, Key::ErrAddressEmpty).to_owned(),
        AddressError::MissingDomain => t(lang, Key::ErrAddressMissingDomain).to_owned(),
        AddressError::WrongDomain { locked } => {
            with_detail(lang, Key::ErrAddressWrongDomain, locked)
        }
        AddressError::MissingLocalpart => t(lang, Key::ErrAddressMissingLocalpart).to_owned(),
        AddressError::Invalid(e) => {
            format!(
                "{} {}",
                t(lang, Key::ErrAddressInvalid),
                describe_jid_error(lang, e)
            )
        }
    }
}

/// Why a string is not an address; the offending character is shown as its code point.
pub fn describe_jid_error(lang: Lang, error: &JidError) -> String {
    match error {
        JidError::EmptyLocalpart => t(lang, Key::ErrJidEmptyLocalpart).to_owned(),
        JidError::EmptyDomain => t(lang, Key::ErrJidEmptyDomain).to_owned(),
        JidError::EmptyResource => t(lang, Key::ErrJidEmptyResource).to_owned(),
        JidError::TooLong(_) => t(lang, Key::ErrJidTooLong).to_owned(),
        JidError::ForbiddenCharacter(_, c) => with_detail(
            lang,
            Key::ErrJidForbiddenCharacter,
            &format!("“{c}” (U+{:04X})", *c as u32),
        ),
        JidError::InvalidDomain => t(lang, Key::ErrJidInvalidDomain).to_owned(),
    }
}

pub fn describe_url_error(lang: Lang, error: &UrlError) -> String {
    match error {
        UrlError::Insecure => t(lang, Key::ErrUrlInsecure).to_owned(),
        UrlError::NotWebSocket(scheme) => with_detail(lang, Key::ErrUrlNotWebSocket, scheme),
        UrlError::Malformed(_) => t(lang, Key::ErrUrlMalformed).to_owned(),
        UrlError::ForeignHost(host) => with_detail(lang, Key::ErrRedirectForeignHost, host),
    }
}

pub fn describe_context_error(lang: Lang, error: &ContextError) -> String {
    match error {
        ContextError::InsecurePage => t(lang, Key::ErrInsecurePage).to_owned(),
    }
}

pub fn describe_config_error(lang: Lang, error: &ConfigError) -> String {
    let (field, problem) = match error {
        ConfigError::Invalid { field, detail } if field.is_empty() => {
            return with_detail(lang, Key::ErrConfigInvalid, detail);
        }
        ConfigError::Invalid { field, detail } => (field, detail.clone()),
        ConfigError::Field { field, problem } => (field, describe_field_problem(lang, problem)),
    };
    format!(
        "{} {} {}",
        with_detail(lang, Key::ErrConfigField, field),
        problem,
        t(lang, Key::ErrConfigAskAdmin)
    )
}

fn describe_field_problem(lang: Lang, problem: &FieldProblem) -> String {
    let key = match problem {
        FieldProblem::WebSocketUrl(e) => return describe_url_error(lang, e),
        FieldProblem::OutOfRange { min, max } => {
            return format!("{} {min}–{max}.", t(lang, Key::ConfigRange))
        }
        FieldProblem::TooMany { max } => return format!("{} {max}.", t(lang, Key::ConfigTooMany)),
        FieldProblem::TooLong { max } => return format!("{} {max}.", t(lang, Key::ConfigTooLong)),
        FieldProblem::Empty => Key::ConfigEmpty,
        FieldProblem::NotADomain => Key::ConfigNotDomain,
        FieldProblem::NotARoom => Key::ConfigNotRoom,
        FieldProblem::UnknownLanguage => Key::ConfigUnknownLanguage,
        FieldProblem::NotOffered => Key::ConfigNotOffered,
        FieldProblem::Duplicate => Key::ConfigDuplicate,
        FieldProblem::NotSameOrigin => Key::ConfigLogo,
        FieldProblem::NotAColour => Key::ConfigColour,
        FieldProblem::NotAnOrigin => Key::ConfigOrigin,
    };
    t(lang, key).to_owned()
}

pub fn describe_discovery_error(lang: Lang, error: &DiscoveryError) -> String {
    match error {
        DiscoveryError::NotFound => t(lang, Key::ErrDiscoveryNotFound).to_owned(),
        DiscoveryError::Blocked { domain } => with_detail(lang, Key::ErrDiscoveryBlocked, domain),
        DiscoveryError::OnlyInsecure => t(lang, Key::ErrDiscoveryOnlyInsecure).to_owned(),
        DiscoveryError::NoWebSocket => t(lang, Key::ErrDiscoveryNoWebSocket).to_owned(),
    }
}

pub fn describe_send_error(lang: Lang, error: &SendError) -> String {
    match error {
        SendError::Empty => t(lang, Key::ErrSendEmpty).to_owned(),
        SendError::NotOnline => t(lang, Key::ErrSendNotOnline).to_owned(),
        SendError::NotLoaded => t(lang, Key::ErrNotLoaded).to_owned(),
        SendError::InvalidText(XmlError::InvalidChar(c)) => with_detail(
            lang,
            Key::ErrSendInvalidText,
            &format!("U+{:04X}", *c as u32),
        ),
        SendError::InvalidText(_) => t(lang, Key::ErrSendInvalidText).to_owned(),
        SendError::TooLong { size, limit } => with_detail(
            lang,
            Key::ErrSendTooLong,
            &format!("{} KB > {} KB", size.div_ceil(1024), limit / 1024),
        ),
    }
}

/// Why a message (or a roster change) failed, from the stanza error's condition (RFC 6120
/// §8.3.3), in Parley's words. The error's text is the sender's and is never used here.
pub fn describe_delivery_failure(lang: Lang, condition: &str) -> &'static str {
    let key = match condition {
        "service-unavailable"
        | "recipient-unavailable"
        | "item-not-found"
        | "gone"
        | "remote-server-not-found"
        | "redirect"
        | "jid-malformed" => Key::DeliveryNoRecipient,
        "remote-server-timeout" => Key::DeliveryTimeout,
        "forbidden"
        | "not-allowed"
        | "not-authorized"
        | "registration-required"
        | "subscription-required"
        | "policy-violation" => Key::DeliveryNotAllowed,
        _ => Key::DeliveryRefused,
    };
    t(lang, key)
}

/// Why entering a room failed, and what to do; the room's own text is not shown here.
pub fn describe_join_error(lang: Lang, error: &JoinError) -> String {
    let key = match error {
        JoinError::NotARoomService { .. } => Key::JoinNotAService,
        JoinError::PasswordRequired => Key::JoinPasswordRequired,
        JoinError::Banned => Key::JoinBanned,
        JoinError::NotFound => Key::JoinNotFound,
        JoinError::NickConflict { .. } => Key::JoinNickConflict,
        JoinError::MembersOnly => Key::JoinMembersOnly,
        JoinError::Full => Key::JoinFull,
        JoinError::NoAnswer => Key::JoinNoAnswer,
        JoinError::Other(e) => {
            return format!(
                "{} {}",
                t(lang, Key::JoinRefused),
                describe_delivery_failure(lang, &e.condition)
            )
        }
    };
    t(lang, key).to_owned()
}

/// Why we are out of a room.
pub fn describe_departure(lang: Lang, departure: &Departure) -> &'static str {
    t(
        lang,
        match departure {
            Departure::Left => Key::RoomLeft,
            Departure::Kicked { .. } => Key::RoomKicked,
            Departure::Banned { .. } => Key::RoomBanned,
            Departure::NotAMember => Key::RoomNotAMember,
            Departure::Destroyed { .. } => Key::RoomDestroyed,
            Departure::Shutdown => Key::RoomShutdown,
            Departure::ConnectionLost => Key::RoomConnectionLost,
        },
    )
}

pub fn describe_entropy_error(lang: Lang, _error: &EntropyUnavailable) -> String {
    t(lang, Key::ErrEntropy).to_owned()
}

pub fn describe_connect_error(lang: Lang, error: &ConnectError) -> String {
    match error {
        ConnectError::Context(e) => describe_context_error(lang, e),
        ConnectError::Url(e) => describe_url_error(lang, e),
        ConnectError::Discovery(e) => describe_discovery_error(lang, e),
        ConnectError::Entropy(e) => describe_entropy_error(lang, e),
        ConnectError::Unreachable => t(lang, Key::ErrUnreachable).to_owned(),
        ConnectError::NotXmpp => t(lang, Key::ErrNotXmpp).to_owned(),
        ConnectError::RedirectRefused(e) => {
            format!(
                "{} {}",
                t(lang, Key::ErrRedirectRefused),
                describe_url_error(lang, e)
            )
        }
        ConnectError::TooManyRedirects => t(lang, Key::ErrTooManyRedirects).to_owned(),
        ConnectError::Session(e) => describe_session_error(lang, e),
        ConnectError::NeedsPassword => t(lang, Key::ErrSaslKeysDoNotFit).to_owned(),
        ConnectError::Browser(what) => with_detail(lang, Key::ErrBrowser, what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_appended_verbatim() {
        let e = SessionError::StreamError {
            condition: "system-shutdown".into(),
            text: Some("<b>bye</b>".into()),
        };
        for lang in Lang::ALL {
            let text = describe_session_error(lang, &e);
            assert!(text.starts_with(t(lang, Key::ErrStream)), "{text}");
            assert!(text.ends_with("system-shutdown — <b>bye</b>"), "{text}");
        }
    }

    #[test]
    fn delivery_failures_are_described_in_our_words_only() {
        for lang in Lang::ALL {
            assert_eq!(
                describe_delivery_failure(lang, "service-unavailable"),
                t(lang, Key::DeliveryNoRecipient)
            );
            // An unknown condition is not echoed: a peer chooses it.
            let text = describe_delivery_failure(lang, "Your session expired, sign in at evil");
            assert_eq!(text, t(lang, Key::DeliveryRefused));
        }
    }

    #[test]
    fn errors_are_localised() {
        let insecure = ConnectError::Url(UrlError::Insecure);
        assert_eq!(
            describe_connect_error(Lang::En, &insecure),
            t(Lang::En, Key::ErrUrlInsecure)
        );
        assert_ne!(
            describe_connect_error(Lang::Ru, &insecure),
            describe_connect_error(Lang::En, &insecure)
        );
        let wrong = ConnectError::Session(SessionError::WrongCredentials);
        assert_eq!(
            describe_connect_error(Lang::Fr, &wrong),
            t(Lang::Fr, Key::ErrWrongCredentials)
        );
        let locked = AddressError::WrongDomain {
            locked: "example.org".into(),
        };
        assert!(describe_address_error(Lang::Ru, &locked).ends_with("example.org"));
        let config = ConfigError::Field {
            field: "websocket_url".into(),
            problem: FieldProblem::WebSocketUrl(UrlError::Insecure),
        };
        let described = describe_config_error(Lang::En, &config);
        assert!(described.contains("websocket_url"), "{described}");
        assert!(described.contains(t(Lang::En, Key::ErrUrlInsecure)));
        let wrong_type = ConfigError::Invalid {
            field: "features.room_browser".into(),
            detail: "invalid type".into(),
        };
        assert!(describe_config_error(Lang::Fr, &wrong_type).contains("features.room_browser"));
    }
}
