//! XEP-0030 Service Discovery, answering side (§3.1): who we are and what we support, so peers
//! can adapt. Asking others (room services, features) comes with the modules that need it.

use super::context::Ctx;
use super::ns;
use super::stanza::{build, Iq, IqType};
use super::xml::Element;

/// What this client implements, as disco#info features.
const FEATURES: [&str; 4] = [ns::DISCO_INFO, ns::PING, ns::CHATSTATES, ns::SID];

pub(crate) fn answer_info(iq: &Iq, cx: &mut Ctx) {
    let to = iq.from.as_ref().map(|j| j.to_string());
    let query = Element::new("query", ns::DISCO_INFO)
        .attr_opt("node", iq.payload.as_ref().and_then(|r| r.get_attr("node")))
        .child(
            Element::new("identity", ns::DISCO_INFO)
                .attr("category", "client")
                .attr("type", "web")
                .attr("name", "Parley"),
        );
    let query = FEATURES.into_iter().fold(query, |q, var| {
        q.child(Element::new("feature", ns::DISCO_INFO).attr("var", var))
    });
    cx.send(&build::iq(
        IqType::Result,
        &iq.id,
        to.as_deref(),
        Some(query),
    ));
}
