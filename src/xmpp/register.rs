//! XEP-0077 In-Band Registration: creating an account on a stream before login (§3.1), changing
//! the signed-in account's password (§3.3) and removing the account (§3.2).
//!
//! The server says what it needs in legacy fields or, taking precedence (§4), an XEP-0004 form.
//! Parley fills the user name and password itself; any other field the server requires is asked
//! of the person ([`RegistrationForm::asks_person`]), and the answer goes back in the form the
//! server used. A form with XEP-0221 media (a CAPTCHA, XEP-0158) cannot be answered here, and a
//! server that only points to a web page (XEP-0066 out-of-band data, §5) is reported with that
//! page's address.

use super::context::Ctx;
use super::data_form::{trimmed_text, Field, FieldKind, Form, MAX_TEXT};
use super::event::Event;
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::Element;
use std::fmt;

/// Legacy fields (§3.1, §14.1) beyond this many are ignored.
const MAX_LEGACY_FIELDS: usize = 32;

/// The fields Parley fills itself.
const USERNAME: &str = "username";
const PASSWORD: &str = "password";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterRequest {
    /// §3.1 step 1: what the server needs.
    Fields,
    /// §3.1 step 2: the filled-in fields.
    Submit,
    /// §3.3.
    ChangePassword,
    /// §3.2.
    Remove,
}

/// What the account hears about registration and its own lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountEvent {
    /// Whether the server lets accounts be created here (from a stream opened only to ask).
    RegistrationOffered(bool),
    /// The server needs more than a user name and a password: the person fills these, then
    /// [`Client::submit_registration`](super::Client::submit_registration).
    RegistrationFields(RegistrationForm),
    /// The account exists; the login with it follows on this stream.
    Registered,
    PasswordChanged,
    PasswordNotChanged(RegisterError),
    /// The account is gone; the server closes the stream.
    Removed,
    NotRemoved(RegisterError),
}

/// Why the server did not create (or change, or remove) the account, in terms a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    /// The server does not let accounts be created from a client.
    NotOffered,
    /// §3.1 `conflict`: the user name is taken.
    Taken,
    /// `not-acceptable` or `bad-request`: a field is missing or refused (the password too weak,
    /// the user name invalid); the server's text says which.
    NotAcceptable { text: Option<String> },
    /// `not-allowed`, `forbidden` and the like: this server does not allow it from here.
    NotAllowed { text: Option<String> },
    /// `resource-constraint` or a `wait` error: too many registrations, try later.
    Throttled,
    /// The server needs what Parley cannot show (a CAPTCHA), or registers on a web page.
    Elsewhere { url: Option<String> },
    Other {
        condition: String,
        text: Option<String>,
    },
}

impl RegisterError {
    fn from_stanza(error: StanzaError) -> Self {
        let text = error.text.map(|t| t.chars().take(MAX_TEXT).collect());
        match (error.condition.as_str(), error.kind.as_str()) {
            ("conflict", _) => Self::Taken,
            ("not-acceptable" | "bad-request" | "jid-malformed", _) => Self::NotAcceptable { text },
            ("resource-constraint" | "policy-violation", "wait") | ("resource-constraint", _) => {
                Self::Throttled
            }
            (
                "not-allowed"
                | "forbidden"
                | "policy-violation"
                | "registration-required"
                | "service-unavailable"
                | "feature-not-implemented"
                | "not-authorized",
                _,
            ) => Self::NotAllowed { text },
            (_, "wait") => Self::Throttled,
            (condition, _) => Self::Other {
                condition: condition.to_owned(),
                text,
            },
        }
    }

    /// The server's own words about the refusal, if it gave any.
    pub fn server_text(&self) -> Option<&str> {
        match self {
            Self::NotAcceptable { text } | Self::NotAllowed { text } | Self::Other { text, .. } => {
                text.as_deref()
            }
            _ => None,
        }
    }
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOffered => f.write_str("this server does not let accounts be created here"),
            Self::Taken => f.write_str("that user name is taken"),
            Self::NotAcceptable { .. } => f.write_str("the server did not accept these details"),
            Self::NotAllowed { .. } => f.write_str("the server does not allow this"),
            Self::Throttled => f.write_str("too many attempts; try again later"),
            Self::Elsewhere { .. } => f.write_str("this server registers accounts elsewhere"),
            Self::Other { condition, .. } => write!(f, "the server refused ({condition})"),
        }?;
        if let Some(text) = self.server_text() {
            write!(f, ": {text}")?;
        }
        Ok(())
    }
}

/// §3.1: what the server asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistrationForm {
    pub instructions: Option<String>,
    /// §4: takes precedence over the legacy fields when present.
    pub form: Option<Form>,
    /// Names of the legacy fields asked for (`username`, `password`, `email`, …).
    pub legacy: Vec<String>,
    /// XEP-0066: the web page that registers accounts, when the server names one.
    pub url: Option<String>,
}

impl RegistrationForm {
    pub fn parse(query: &Element) -> Self {
        let form = query.get_child("x", ns::DATA).and_then(Form::parse);
        let legacy = query
            .elements()
            .filter(|e| {
                e.ns == ns::REGISTER && !matches!(e.name.as_str(), "instructions" | "registered")
            })
            .take(MAX_LEGACY_FIELDS)
            .map(|e| e.name.clone())
            .collect();
        let text = |el: &Element| trimmed_text(&el.text_content());
        Self {
            instructions: query
                .get_child("instructions", ns::REGISTER)
                .and_then(text)
                .or_else(|| form.as_ref().and_then(|f| f.instructions.first().cloned())),
            form,
            legacy,
            url: query
                .get_child("x", ns::OOB)
                .and_then(|x| x.get_child("url", ns::OOB))
                .and_then(text),
        }
    }

    /// The fields for the person: what the server asks beyond the user name and password.
    pub fn extra_fields(&self) -> Vec<Field> {
        match &self.form {
            Some(form) => form
                .fields
                .iter()
                .filter(|f| f.kind != FieldKind::Hidden && f.var != USERNAME && f.var != PASSWORD)
                .cloned()
                .collect(),
            // §3.1: every legacy field listed is required.
            None => self
                .legacy
                .iter()
                .filter(|name| *name != USERNAME && *name != PASSWORD)
                .map(|name| Field {
                    var: name.clone(),
                    kind: FieldKind::TextSingle,
                    label: None,
                    description: None,
                    required: true,
                    values: Vec::new(),
                    options: Vec::new(),
                    has_media: false,
                })
                .collect(),
        }
    }

    /// Whether the server asks what only the person can give: a required field beyond the user
    /// name and password that `given` does not fill.
    pub fn asks_person(&self, given: &[(String, String)]) -> bool {
        self.extra_fields().iter().any(|f| {
            f.required
                && f.kind != FieldKind::Fixed
                && !given
                    .iter()
                    .any(|(var, value)| *var == f.var && !value.is_empty())
        })
    }

    /// The first required field beyond the user name and password (with its place among
    /// [`extra_fields`](Self::extra_fields)) that neither `given` nor the server's own value
    /// fills: what to ask for before submitting.
    pub fn first_unanswered(&self, given: &[(String, String)]) -> Option<(usize, Field)> {
        self.extra_fields().into_iter().enumerate().find(|(_, f)| {
            f.required
                && f.kind != FieldKind::Fixed
                && f.value().is_none_or(str::is_empty)
                && !given
                    .iter()
                    .any(|(var, value)| *var == f.var && !value.is_empty())
        })
    }

    /// A server that needs a CAPTCHA, or gives only a web page (no fields to fill).
    fn elsewhere(&self) -> bool {
        let captcha = self
            .form
            .as_ref()
            .is_some_and(|f| f.fields.iter().any(|f| f.has_media));
        let no_fields = self.form.is_none() && self.legacy.is_empty();
        captcha || (no_fields && self.url.is_some())
    }

    /// §3.1 step 2 (and §4): the answer in the shape the server asked in.
    fn submission(&self, username: &str, password: &str, given: &[(String, String)]) -> Element {
        let query = Element::new("query", ns::REGISTER);
        match &self.form {
            Some(form) => {
                let mut values: Vec<(&str, &str)> =
                    vec![(USERNAME, username), (PASSWORD, password)];
                values.extend(
                    given
                        .iter()
                        .map(|(var, value)| (var.as_str(), value.as_str())),
                );
                query.child(form.answer(&values))
            }
            None => {
                let mut query = query
                    .text_child(USERNAME, ns::REGISTER, username)
                    .text_child(PASSWORD, ns::REGISTER, password);
                for name in self
                    .legacy
                    .iter()
                    .filter(|n| *n != USERNAME && *n != PASSWORD)
                {
                    let value = given
                        .iter()
                        .find(|(var, _)| var == name)
                        .map_or("", |(_, v)| v.as_str());
                    query = query.text_child(name, ns::REGISTER, value);
                }
                query
            }
        }
    }
}

/// One registration on an unauthenticated stream.
#[derive(Debug, Default)]
pub struct Registration {
    /// What the person filled beyond the user name and password.
    given: Vec<(String, String)>,
    /// The server's last form, until it is answered.
    form: Option<RegistrationForm>,
}

/// What the account does after an answer about registration.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for the server, or for the person.
    Waiting,
    /// The account was created: log in with it.
    Created,
    Refused(RegisterError),
}

impl Registration {
    pub fn new(given: Vec<(String, String)>) -> Self {
        Self { given, form: None }
    }

    /// The stream allows registration: ask what it needs.
    pub(crate) fn ask(&mut self, cx: &mut Ctx) {
        cx.request(
            IqType::Get,
            Element::new("query", ns::REGISTER),
            Owner::Register(RegisterRequest::Fields),
        );
    }

    /// The person filled the fields the server asked for.
    pub(crate) fn submit(
        &mut self,
        given: Vec<(String, String)>,
        username: &str,
        password: &str,
        cx: &mut Ctx,
    ) -> bool {
        self.given = given;
        let Some(form) = self.form.take() else {
            return false;
        };
        self.send(&form, username, password, cx);
        true
    }

    fn send(&mut self, form: &RegistrationForm, username: &str, password: &str, cx: &mut Ctx) {
        let submission = form.submission(username, password, &self.given);
        cx.request(
            IqType::Set,
            submission,
            Owner::Register(RegisterRequest::Submit),
        );
    }

    pub(crate) fn answered(
        &mut self,
        request: RegisterRequest,
        result: Result<Option<Element>, StanzaError>,
        username: &str,
        password: &str,
        cx: &mut Ctx,
    ) -> Outcome {
        match (request, result) {
            (RegisterRequest::Fields, Ok(payload)) => {
                let Some(query) = payload.filter(|p| p.is("query", ns::REGISTER)) else {
                    return Outcome::Refused(RegisterError::NotOffered);
                };
                let form = RegistrationForm::parse(&query);
                if form.elsewhere() {
                    return Outcome::Refused(RegisterError::Elsewhere { url: form.url });
                }
                if form.asks_person(&self.given) {
                    cx.emit(Event::Account(AccountEvent::RegistrationFields(
                        form.clone(),
                    )));
                    self.form = Some(form);
                } else {
                    self.send(&form, username, password, cx);
                }
                Outcome::Waiting
            }
            (RegisterRequest::Submit, Ok(_)) => {
                cx.emit(Event::Account(AccountEvent::Registered));
                Outcome::Created
            }
            (_, Err(error)) => Outcome::Refused(RegisterError::from_stanza(error)),
            (RegisterRequest::ChangePassword | RegisterRequest::Remove, Ok(_)) => Outcome::Waiting,
        }
    }
}

/// §3.3: the new password for the signed-in account.
pub(crate) fn change_password(username: &str, password: &str, cx: &mut Ctx) {
    let query = Element::new("query", ns::REGISTER)
        .text_child(USERNAME, ns::REGISTER, username)
        .text_child(PASSWORD, ns::REGISTER, password);
    cx.request(
        IqType::Set,
        query,
        Owner::Register(RegisterRequest::ChangePassword),
    );
}

/// §3.2: removes the signed-in account.
pub(crate) fn remove(cx: &mut Ctx) {
    let query = Element::new("query", ns::REGISTER).child(Element::new("remove", ns::REGISTER));
    cx.request(IqType::Set, query, Owner::Register(RegisterRequest::Remove));
}

/// The answer to a password change or a removal.
pub(crate) fn account_answered(
    request: &RegisterRequest,
    result: Result<Option<Element>, StanzaError>,
    cx: &mut Ctx,
) -> bool {
    let event = match (request, result) {
        (RegisterRequest::ChangePassword, Ok(_)) => AccountEvent::PasswordChanged,
        (RegisterRequest::ChangePassword, Err(e)) => {
            AccountEvent::PasswordNotChanged(RegisterError::from_stanza(e))
        }
        (RegisterRequest::Remove, Ok(_)) => AccountEvent::Removed,
        (RegisterRequest::Remove, Err(e)) => {
            AccountEvent::NotRemoved(RegisterError::from_stanza(e))
        }
        _ => return false,
    };
    let ok = matches!(event, AccountEvent::PasswordChanged | AccountEvent::Removed);
    cx.emit(Event::Account(event));
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::xml::parse_frame;

    fn query(xml: &str) -> RegistrationForm {
        RegistrationForm::parse(&parse_frame(xml).unwrap().unwrap())
    }

    const PROSODY: &str = "<query xmlns='jabber:iq:register'>\
        <instructions>Choose a username and password for use with this service.</instructions>\
        <username/><password/>\
        <x xmlns='jabber:x:data' type='form'><title>Creating a new account</title>\
        <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
        <field label='Username' type='text-single' var='username'><required/></field>\
        <field label='Password' type='text-private' var='password'><required/></field></x></query>";

    #[test]
    fn a_plain_form_needs_nothing_from_the_person() {
        let form = query(PROSODY);
        assert_eq!(
            form.instructions.as_deref(),
            Some("Choose a username and password for use with this service.")
        );
        assert!(form.extra_fields().is_empty());
        assert!(!form.asks_person(&[]));
        let xml = form.submission("zoe", "p<w", &[]).to_xml().unwrap();
        assert!(xml.contains("<value>jabber:iq:register</value>"), "{xml}");
        assert!(xml.contains("<value>zoe</value>"), "{xml}");
        assert!(xml.contains("<value>p&lt;w</value>"), "{xml}");
        // §4: the form is answered, not the legacy fields beside it.
        assert!(!xml.contains("<username"), "{xml}");
    }

    #[test]
    fn a_required_extra_field_is_asked_of_the_person() {
        let form = query(
            "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>\
             <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
             <field var='username'><required/></field><field var='password' type='text-private'><required/></field>\
             <field var='email' label='Email'><required/></field><field var='name'/></x></query>",
        );
        let extra: Vec<_> = form.extra_fields().into_iter().map(|f| f.var).collect();
        assert_eq!(extra, ["email", "name"]);
        assert!(form.asks_person(&[]));
        assert!(form.asks_person(&[("email".into(), String::new())]));
        let given = [("email".to_owned(), "z@example.org".to_owned())];
        assert!(!form.asks_person(&given));
        let xml = form.submission("zoe", "pw", &given).to_xml().unwrap();
        assert!(xml.contains("<value>z@example.org</value>"), "{xml}");
        // Before submitting: the empty required one is named, with its place among the extras.
        let (index, missing) = form
            .first_unanswered(&[("email".into(), String::new())])
            .expect("email is required");
        assert_eq!((index, missing.var.as_str()), (0, "email"));
        assert!(form.first_unanswered(&given).is_none());
    }

    #[test]
    fn a_required_field_the_server_fills_itself_is_answered() {
        let form = query(
            "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>\
             <field var='username'><required/></field>\
             <field var='locale' label='Language'><required/><value>en</value></field></x></query>",
        );
        assert!(form.first_unanswered(&[]).is_none());
    }

    #[test]
    fn legacy_fields_are_all_required_and_answered_as_elements() {
        let form =
            query("<query xmlns='jabber:iq:register'><username/><password/><email/></query>");
        assert!(form.asks_person(&[]));
        let given = [("email".to_owned(), "z@x".to_owned())];
        let xml = form.submission("zoe", "pw", &given).to_xml().unwrap();
        assert!(xml.contains("<email>z@x</email>"), "{xml}");
        assert!(xml.contains("<username>zoe</username>"), "{xml}");
    }

    #[test]
    fn a_captcha_or_a_web_page_is_registration_elsewhere() {
        let captcha = query(
            "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='form'>\
             <field var='ocr'><media xmlns='urn:xmpp:media-element'/><required/></field></x></query>",
        );
        assert!(captcha.elsewhere());
        let web = query(
            "<query xmlns='jabber:iq:register'><instructions>Go to the site</instructions>\
             <x xmlns='jabber:x:oob'><url>https://example.org/register</url></x></query>",
        );
        assert!(web.elsewhere());
        assert_eq!(web.url.as_deref(), Some("https://example.org/register"));
        assert!(!query(PROSODY).elsewhere());
    }

    #[test]
    fn stanza_errors_become_reasons_a_person_can_act_on() {
        let err = |condition: &str, kind: &str, text: Option<&str>| {
            RegisterError::from_stanza(StanzaError {
                kind: kind.into(),
                condition: condition.into(),
                text: text.map(str::to_owned),
            })
        };
        assert_eq!(err("conflict", "cancel", None), RegisterError::Taken);
        assert_eq!(
            err("resource-constraint", "wait", None),
            RegisterError::Throttled
        );
        assert_eq!(
            err("policy-violation", "wait", None),
            RegisterError::Throttled
        );
        assert_eq!(
            err(
                "not-acceptable",
                "modify",
                Some("The requested username is invalid.")
            ),
            RegisterError::NotAcceptable {
                text: Some("The requested username is invalid.".into())
            }
        );
        assert!(matches!(
            err("not-allowed", "cancel", None),
            RegisterError::NotAllowed { .. }
        ));
        assert!(matches!(
            err("undefined-condition", "cancel", None),
            RegisterError::Other { .. }
        ));
    }
}
