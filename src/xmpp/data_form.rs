//! XEP-0004 Data Forms: the submitted form (§3.2, `type='submit'`) that options and filters
//! travel in, with its hidden `FORM_TYPE` (XEP-0068); and the forms servers send to be filled
//! (§3.1, `type='form'`), read into typed fields for the UI to show as text.

use super::ns;
use super::xml::Element;

/// Fields beyond this are ignored: a real form has a handful.
const MAX_FIELDS: usize = 64;
/// Options of one list field beyond this are ignored.
const MAX_OPTIONS: usize = 256;
/// Labels, instructions and values are cut to this many characters.
pub(crate) const MAX_TEXT: usize = 1024;

/// `<x type='submit'>` with `FORM_TYPE` and one value per field.
pub fn submit(form_type: &str, fields: &[(&str, &str)]) -> Element {
    let field = |var: &str, value: &str| {
        Element::new("field", ns::DATA)
            .attr("var", var)
            .text_child("value", ns::DATA, value)
    };
    fields.iter().fold(
        Element::new("x", ns::DATA)
            .attr("type", "submit")
            .child(field("FORM_TYPE", form_type).attr("type", "hidden")),
        |form, (var, value)| form.child(field(var, value)),
    )
}

/// §3.3 field types; `text-single` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Boolean,
    /// Text to show, not to fill.
    Fixed,
    Hidden,
    ListSingle,
    TextPrivate,
    TextSingle,
    TextMulti,
    /// jid-single, jid-multi, list-multi and anything newer: shown as text to fill.
    Other,
}

impl FieldKind {
    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("boolean") => Self::Boolean,
            Some("fixed") => Self::Fixed,
            Some("hidden") => Self::Hidden,
            Some("list-single") => Self::ListSingle,
            Some("text-private") => Self::TextPrivate,
            None | Some("text-single") => Self::TextSingle,
            Some("text-multi") => Self::TextMulti,
            Some(_) => Self::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOption {
    pub label: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Empty for a `fixed` field, which needs none.
    pub var: String,
    pub kind: FieldKind,
    pub label: Option<String>,
    pub description: Option<String>,
    pub required: bool,
    pub values: Vec<String>,
    pub options: Vec<FormOption>,
    /// XEP-0221 media (a CAPTCHA image, say): present, and not something Parley shows.
    pub has_media: bool,
}

impl Field {
    /// The first value, as a single-valued field holds it.
    pub fn value(&self) -> Option<&str> {
        self.values.first().map(String::as_str)
    }
}

/// A form to fill (`type='form'`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    pub title: Option<String>,
    pub instructions: Vec<String>,
    pub fields: Vec<Field>,
}

/// `text` trimmed and cut to [`MAX_TEXT`] characters; nothing when blank.
pub(crate) fn trimmed_text(text: &str) -> Option<String> {
    let text: String = text.trim().chars().take(MAX_TEXT).collect();
    (!text.is_empty()).then_some(text)
}

impl Form {
    /// Reads `<x xmlns='jabber:x:data'>`; anything else, or a form of another type, is `None`.
    pub fn parse(x: &Element) -> Option<Self> {
        if !x.is("x", ns::DATA) || x.get_attr("type").is_some_and(|t| t != "form") {
            return None;
        }
        let text = |el: &Element| trimmed_text(&el.text_content());
        let mut form = Self {
            title: x.get_child("title", ns::DATA).and_then(text),
            ..Self::default()
        };
        for el in x.elements() {
            if el.is("instructions", ns::DATA) {
                form.instructions.extend(text(el));
            } else if el.is("field", ns::DATA) && form.fields.len() < MAX_FIELDS {
                let kind = FieldKind::parse(el.get_attr("type"));
                let var = el.get_attr("var").unwrap_or_default().to_owned();
                // §3.2: every field but a fixed one is named; a nameless one cannot be answered.
                if var.is_empty() && kind != FieldKind::Fixed {
                    continue;
                }
                let named =
                    |name: &'static str| el.elements().filter(move |c| c.is(name, ns::DATA));
                form.fields.push(Field {
                    var,
                    kind,
                    label: el.get_attr("label").and_then(trimmed_text),
                    description: el.get_child("desc", ns::DATA).and_then(text),
                    required: el.has_child("required", ns::DATA),
                    values: named("value")
                        .take(MAX_OPTIONS)
                        .map(|v| v.text_content().chars().take(MAX_TEXT).collect())
                        .collect(),
                    options: named("option")
                        .take(MAX_OPTIONS)
                        .filter_map(|o| {
                            Some(FormOption {
                                label: o.get_attr("label").map(str::to_owned),
                                value: o.get_child("value", ns::DATA).and_then(text)?,
                            })
                        })
                        .collect(),
                    has_media: el.has_child("media", ns::MEDIA),
                });
            }
        }
        Some(form)
    }

    /// The hidden `FORM_TYPE` (XEP-0068), which says what the form is for.
    pub fn form_type(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.var == "FORM_TYPE")
            .and_then(Field::value)
    }

    /// §3.2 answer: every named field of the form with the value given in `values`, else the
    /// value the form came with (hidden fields must go back as they were).
    pub fn answer(&self, values: &[(&str, &str)]) -> Element {
        self.fields
            .iter()
            .filter(|f| f.kind != FieldKind::Fixed)
            .fold(
                Element::new("x", ns::DATA).attr("type", "submit"),
                |x, f| {
                    let given = values.iter().find(|(var, _)| *var == f.var);
                    let field = Element::new("field", ns::DATA).attr("var", f.var.as_str());
                    let field = match given {
                        Some((_, value)) => field.text_child("value", ns::DATA, *value),
                        None => f.values.iter().fold(field, |field, v| {
                            field.text_child("value", ns::DATA, v.as_str())
                        }),
                    };
                    x.child(field)
                },
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::xml::parse_frame;

    fn form(xml: &str) -> Form {
        let el = parse_frame(xml).unwrap().unwrap();
        Form::parse(&el).unwrap()
    }

    #[test]
    fn reads_a_registration_form() {
        let f = form(
            "<x xmlns='jabber:x:data' type='form'><title>Creating a new account</title>\
             <instructions>Choose a username and password</instructions>\
             <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
             <field label='Username' type='text-single' var='username'><required/></field>\
             <field label='Password' type='text-private' var='password'><required/></field>\
             <field label='Colour' type='list-single' var='colour'><option label='Red'><value>r</value></option></field>\
             <field type='fixed'><value>Read the rules</value></field>\
             <field type='text-single'><value>nameless</value></field></x>",
        );
        assert_eq!(f.title.as_deref(), Some("Creating a new account"));
        assert_eq!(f.instructions, ["Choose a username and password"]);
        assert_eq!(f.form_type(), Some("jabber:iq:register"));
        let kinds: Vec<_> = f
            .fields
            .iter()
            .map(|f| (f.var.as_str(), f.kind, f.required))
            .collect();
        assert_eq!(
            kinds,
            [
                ("FORM_TYPE", FieldKind::Hidden, false),
                ("username", FieldKind::TextSingle, true),
                ("password", FieldKind::TextPrivate, true),
                ("colour", FieldKind::ListSingle, false),
                ("", FieldKind::Fixed, false),
            ]
        );
        assert_eq!(f.fields[3].options[0].value, "r");
    }

    #[test]
    fn an_answer_keeps_hidden_values_and_leaves_out_fixed_text() {
        let f = form(
            "<x xmlns='jabber:x:data' type='form'>\
             <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>\
             <field type='hidden' var='challenge'><value>abc</value></field>\
             <field type='fixed'><value>Hello</value></field>\
             <field var='username'/></x>",
        );
        let xml = f.answer(&[("username", "z<&")]).to_xml().unwrap();
        assert!(xml.contains("type=\"submit\""), "{xml}");
        assert!(xml.contains("<value>abc</value>"), "{xml}");
        assert!(xml.contains("<value>z&lt;&amp;</value>"), "{xml}");
        assert!(!xml.contains("Hello"), "{xml}");
    }

    #[test]
    fn a_result_or_foreign_element_is_no_form() {
        let el = parse_frame("<x xmlns='jabber:x:data' type='result'/>")
            .unwrap()
            .unwrap();
        assert_eq!(Form::parse(&el), None);
        let el = parse_frame("<x xmlns='urn:other'/>").unwrap().unwrap();
        assert_eq!(Form::parse(&el), None);
    }

    #[test]
    fn a_huge_form_is_cut() {
        let fields: String = (0..200).map(|i| format!("<field var='f{i}'/>")).collect();
        let f = form(&format!(
            "<x xmlns='jabber:x:data' type='form'>{fields}</x>"
        ));
        assert_eq!(f.fields.len(), MAX_FIELDS);
    }
}
