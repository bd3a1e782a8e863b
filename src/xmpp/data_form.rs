//! XEP-0004 Data Forms: the submitted form (§3.2, `type='submit'`) that options and filters
//! travel in, with its hidden `FORM_TYPE` (XEP-0068).

use super::ns;
use super::xml::Element;

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
