//! The typed errors of the core and the transport as localised sentences that say what happened
//! and what to do. What only a developer or an administrator can use (a protocol condition, the
//! server's own text, a parser's message, a code point) is not in the sentence: the `*_detail`
//! functions give it, verbatim and untranslated, for a disclosure beside it.

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
        SessionError::Sasl(e) => describe_sasl_error(lang, e),
        SessionError::Registration(e) => describe_register_error(lang, e),
        _ => t(lang, session_error_key(error)).to_owned(),
    }
}

fn session_error_key(error: &SessionError) -> Key {
    match error {
        SessionError::WrongCredentials => Key::ErrWrongCredentials,
        SessionError::AuthFailed { .. } => Key::ErrAuthFailed,
        SessionError::NoSupportedMechanism { .. } => Key::ErrNoMechanism,
        // RFC 6120 §4.9.3: the two conditions a person meets, in their own words.
        SessionError::StreamError { condition, .. } => match condition.as_str() {
            "host-unknown" => Key::ErrHostUnknown,
            "system-shutdown" => Key::ErrServerShutdown,
            _ => Key::ErrStream,
        },
        SessionError::FrameTooLarge { .. } => Key::ErrFrameTooLarge,
        SessionError::Timeout { .. } => Key::ErrTimeout,
        SessionError::BindFailed { .. } => Key::ErrBindFailed,
        SessionError::Protocol(_) => Key::ErrProtocol,
        SessionError::ConnectionLost(None) => Key::ErrConnectionLost,
        SessionError::ConnectionLost(Some(_)) => Key::ErrSocketClosed,
        SessionError::NoResponse => Key::ErrNoResponse,
        SessionError::SeeOtherUri(_) => Key::ErrRedirect,
        SessionError::Sasl(_) | SessionError::Registration(_) => Key::ErrProtocol,
    }
}

/// The technical side of a session error, for the disclosure: the condition and the server's
/// text as sent, the parser's message, the sizes.
pub fn session_error_detail(error: &SessionError) -> Option<String> {
    match error {
        SessionError::AuthFailed { condition, text }
        | SessionError::StreamError { condition, text } => {
            Some(server_detail(condition, text.as_deref()))
        }
        SessionError::Sasl(e) => sasl_error_detail(e),
        SessionError::NoSupportedMechanism { offered } => Some(if offered.is_empty() {
            "-".to_owned()
        } else {
            offered.join(", ")
        }),
        SessionError::FrameTooLarge { size, limit } => Some(format!("{size} > {limit} bytes")),
        SessionError::Timeout { stage } => Some(format!("timeout: {stage}")),
        SessionError::BindFailed { condition } => Some(condition.clone()),
        SessionError::Protocol(what) => Some(what.clone()),
        SessionError::ConnectionLost(Some(CloseReason { code, reason })) => {
            Some(server_detail(&format!("WebSocket {code}"), Some(reason)))
        }
        SessionError::SeeOtherUri(uri) => Some(uri.clone()),
        SessionError::Registration(e) => register_error_detail(e),
        SessionError::WrongCredentials
        | SessionError::ConnectionLost(None)
        | SessionError::NoResponse => None,
    }
}

/// The server's condition and text of a refusal the sentence does not name.
pub fn register_error_detail(error: &RegisterError) -> Option<String> {
    match error {
        RegisterError::Other { condition, text } => Some(server_detail(condition, text.as_deref())),
        _ => None,
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
        RegisterError::Other { .. } => Key::ErrRegisterOther,
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
        SaslError::IterationCount(_) => t(lang, Key::ErrSaslIterations).to_owned(),
        SaslError::ServerSignatureMismatch => t(lang, Key::ErrSaslSignature).to_owned(),
        SaslError::ServerError(_) => t(lang, Key::ErrSaslServer).to_owned(),
        SaslError::KeysDoNotFit => t(lang, Key::ErrSaslKeysDoNotFit).to_owned(),
    }
}

fn sasl_error_detail(error: &SaslError) -> Option<String> {
    match error {
        SaslError::Protocol(what) => Some(what.to_string()),
        SaslError::IterationCount(n) => Some(format!("i={n}")),
        SaslError::ServerError(e) => Some(format!("e={e}")),
        _ => None,
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

fn url_error_detail(error: &UrlError) -> Option<String> {
    match error {
        UrlError::Malformed(what) => Some(what.to_string()),
        _ => None,
    }
}

pub fn describe_context_error(lang: Lang, error: &ContextError) -> String {
    match error {
        ContextError::InsecurePage => t(lang, Key::ErrInsecurePage).to_owned(),
    }
}

pub fn describe_config_error(lang: Lang, error: &ConfigError) -> String {
    let (field, problem) = match error {
        ConfigError::Invalid { field, .. } if field.is_empty() => {
            return t(lang, Key::ErrConfigInvalid).to_owned();
        }
        ConfigError::Invalid { field, .. } => {
            return format!(
                "{} {}",
                with_detail(lang, Key::ErrConfigField, field),
                t(lang, Key::ErrConfigAskAdmin)
            );
        }
        ConfigError::Field { field, problem } => (field, describe_field_problem(lang, problem)),
    };
    format!(
        "{} {} {}",
        with_detail(lang, Key::ErrConfigField, field),
        problem,
        t(lang, Key::ErrConfigAskAdmin)
    )
}

/// The JSON parser's message, for the administrator.
pub fn config_error_detail(error: &ConfigError) -> Option<String> {
    match error {
        ConfigError::Invalid { detail, .. } => Some(detail.clone()),
        ConfigError::Field { .. } => None,
    }
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

/// The defined stanza error conditions (RFC 6120 §8.3.3). A condition outside them is a peer's
/// invention and is shown nowhere, not even in a disclosure.
const STANZA_CONDITIONS: &[&str] = &[
    "bad-request",
    "conflict",
    "feature-not-implemented",
    "forbidden",
    "gone",
    "internal-server-error",
    "item-not-found",
    "jid-malformed",
    "not-acceptable",
    "not-allowed",
    "not-authorized",
    "policy-violation",
    "recipient-unavailable",
    "redirect",
    "registration-required",
    "remote-server-not-found",
    "remote-server-timeout",
    "resource-constraint",
    "service-unavailable",
    "subscription-required",
    "undefined-condition",
    "unexpected-request",
];

/// The condition of a failed delivery, for the disclosure, when it is one RFC 6120 defines.
pub fn delivery_failure_detail(condition: &str) -> Option<String> {
    STANZA_CONDITIONS
        .contains(&condition)
        .then(|| condition.to_owned())
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
        ConnectError::Browser(_) => t(lang, Key::ErrBrowser).to_owned(),
    }
}

/// The code point the XML writer refused, or its message.
pub fn send_error_detail(error: &SendError) -> Option<String> {
    match error {
        SendError::InvalidText(XmlError::InvalidChar(c)) => Some(format!("U+{:04X}", *c as u32)),
        SendError::InvalidText(e) => Some(e.to_string()),
        _ => None,
    }
}

pub fn connect_error_detail(error: &ConnectError) -> Option<String> {
    match error {
        ConnectError::Url(e) | ConnectError::RedirectRefused(e) => url_error_detail(e),
        ConnectError::Session(e) => session_error_detail(e),
        ConnectError::Browser(what) => Some(what.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_behind_the_disclosure_not_in_the_sentence() {
        let e = SessionError::StreamError {
            condition: "undefined-condition".into(),
            text: Some("<b>bye</b>".into()),
        };
        for lang in Lang::ALL {
            assert_eq!(describe_session_error(lang, &e), t(lang, Key::ErrStream));
        }
        assert_eq!(
            session_error_detail(&e).as_deref(),
            Some("undefined-condition — <b>bye</b>")
        );
        let shutdown = SessionError::StreamError {
            condition: "system-shutdown".into(),
            text: Some("Received SIGTERM".into()),
        };
        let text = describe_session_error(Lang::En, &shutdown);
        assert_eq!(text, t(Lang::En, Key::ErrServerShutdown));
        assert!(!text.contains("SIGTERM") && !text.contains("system-shutdown"));
        let control = SendError::InvalidText(XmlError::InvalidChar('\u{7}'));
        assert!(!describe_send_error(Lang::Fr, &control).contains("U+0007"));
        assert_eq!(send_error_detail(&control).as_deref(), Some("U+0007"));
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
            assert_eq!(
                delivery_failure_detail("Your session expired, sign in at evil"),
                None
            );
            assert_eq!(
                delivery_failure_detail("forbidden").as_deref(),
                Some("forbidden")
            );
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
