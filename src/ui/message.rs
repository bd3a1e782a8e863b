//! One message as it shows: the nick in a room (in its XEP-0392 colour), the day separator above
//! the first of a day, the body, why it failed if it did, the time and how far it got.
//!
//! Bodies are text nodes inside a bidi-isolated element, so markup in a body stays text and an RTL
//! override cannot reorder the UI around it (overrides are turned into isolates). XEP-0393 styling
//! and `/me` (XEP-0245) are shown with every character kept. A link becomes an anchor only if the
//! browser's URL parser accepts it, and shows the parsed URL whenever that differs from what was
//! written (a look-alike host shows as punycode), so what a person reads is where the link goes.

use super::state::AppState;
use crate::i18n::{self, Key, Lang};
use crate::linkify::{linkify, neutralise_overrides, Segment};
use crate::store::timeline::{Entry, MessageState};
use crate::styling::{self, LineKind, Node, Style};
use crate::xmpp::delay::UnixMillis;
use crate::xmpp::Direction;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;

/// A nick's colours (XEP-0392) for the light and the dark theme, as the custom properties the
/// stylesheet's `.nick-colour` picks from.
pub fn nick_colours(nick: &str) -> (String, String) {
    (
        crate::colour::css(nick, crate::colour::ON_LIGHT),
        crate::colour::css(nick, crate::colour::ON_DARK),
    )
}

/// One message. Public so tests can mount it with hostile bodies. `from` is the sender's bare
/// JID; `peer` is the other side of the conversation, to whom an error's text is attributed.
#[component]
pub fn MessageRow(
    entry: Entry,
    from: String,
    peer: String,
    /// The first message of its day on screen: a separator with the date goes above it.
    #[prop(optional)]
    new_day: bool,
    /// Same sender as the message above, soon after: the name is not shown again.
    #[prop(optional)]
    continued: bool,
    /// Our last message, which can be corrected (XEP-0308): an "Edit" button runs this.
    #[prop(default = None)]
    on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let Entry {
        id,
        direction,
        body,
        state,
        time,
        nick,
        mention,
        private,
        ..
    } = entry.clone();
    let edited = entry.edited();
    let in_room = nick.is_some();
    // Who a `/me` action names: the nick in a room, the address in a chat.
    let actor = &nick.clone().unwrap_or_else(|| from.clone());
    // Mounted alone in tests, without the app around it: then English.
    let lang = use_context::<AppState>().map(|s| s.lang);
    let lang = move || lang.map_or(Lang::En, |l| l.get());
    let label = move || time_label(time, lang());
    let iso = String::from(js_sys::Date::new(&JsValue::from_f64(time as f64)).to_iso_string());
    let failure = match &state {
        MessageState::Failed(error) => Some(error.clone()),
        _ => None,
    };
    let unconfirmed = state == MessageState::Unconfirmed;
    let note = (failure.is_some() || unconfirmed).then(|| {
        let condition = failure.as_ref().map(|e| e.condition.clone());
        let condition_attr = condition.clone().unwrap_or_default();
        let text = failure.and_then(|e| e.text).filter(|t| !t.trim().is_empty());
        view! {
            <p data-testid="message-error" class="message-error" data-condition=condition_attr>
                {move || match &condition {
                    Some(condition) => format!(
                        "{} {}",
                        i18n::t(lang(), Key::MessageNotDelivered),
                        i18n::describe_delivery_failure(lang(), condition)
                    ),
                    None => i18n::t(lang(), Key::MessageUnconfirmed).to_owned(),
                }}
                {text.map(|text| view! {
                    // The peer's (or its server's) words, attributed and quoted.
                    <span class="peer-words">
                        " " <bdi>{peer.clone()}</bdi> ": “" <bdi>{neutralise_overrides(&text).into_owned()}</bdi> "”"
                    </span>
                })}
            </p>
        }
    });
    // Ours: how far it got, as a mark a glance can read and words a screen reader says.
    let progress = match (direction, &state) {
        (Direction::In, _) => None,
        (_, MessageState::Pending) => Some(("…", Key::StatePending)),
        (_, MessageState::Sent) => Some(("✓", Key::StateSent)),
        (_, MessageState::Received) => Some(("✓✓", Key::StateReceived)),
        (_, MessageState::Displayed) => Some(("✓✓", Key::StateDisplayed)),
        (_, MessageState::Failed(_) | MessageState::Unconfirmed) => None,
    }
    .map(|(mark, key)| {
        let words = move || i18n::t(lang(), key);
        view! {
            <span class="message-progress" role="img" aria-label=words title=words>
                {mark}
            </span>
        }
    });
    view! {
        <li
            data-testid="message"
            class="message"
            class:error=matches!(state, MessageState::Failed(_) | MessageState::Unconfirmed)
            data-id=id
            data-from=from
            data-direction=direction.as_str()
            data-state=state.as_str()
            data-mention=in_room.then_some(if mention { "true" } else { "false" })
            data-private=private.then_some("true")
            data-edited=edited.then_some("true")
            class:mention=mention
            class:continued=continued
        >
            {new_day.then(|| view! {
                <h3 data-testid="day-separator" class="day-separator">
                    <span>{move || day_label(time, lang())}</span>
                </h3>
            })}
            {nick.map(|nick| {
                let (on_light, on_dark) = nick_colours(&nick);
                // Grouped under the same sender: the name stays for screen readers only.
                view! {
                    <span
                        class="message-nick nick-colour"
                        class:visually-hidden=continued
                        style:--nick-on-light=on_light
                        style:--nick-on-dark=on_dark
                    >
                        <bdi>{neutralise_overrides(&nick).into_owned()}</bdi>
                        {private.then(|| view! { <span class="private-tag">{move || i18n::t(lang(), Key::PrivateMessage)}</span> })}
                    </span>
                }
            })}
            <div data-testid="message-body" class="message-body" dir="auto">
                {body_view(&body, actor)}
            </div>
            {note}
            <div class="message-meta">
                <time data-testid="message-time" class="message-time" datetime=iso>
                    {label}
                </time>
                // XEP-0308 §4, §5: a corrected message says so.
                {edited.then(|| view! {
                    <span data-testid="message-edited" class="message-edited">
                        {move || i18n::t(lang(), Key::Edited)}
                    </span>
                })}
                {progress}
                {on_edit.map(|edit| view! {
                    <button
                        type="button"
                        data-testid="message-edit"
                        class="link-button message-edit"
                        on:click=move |_| edit.run(())
                    >
                        {move || i18n::t(lang(), Key::EditMessage)}
                    </button>
                })}
            </div>
        </li>
    }
}

/// A message's time as the interface language writes it: the hour and minute for today's
/// messages, with the day and month for older ones, and the year before this one's.
fn time_label(ms: UnixMillis, lang: Lang) -> String {
    let now = js_sys::Date::now() as UnixMillis;
    let (day, today) = (local_day(ms), local_day(now));
    let shape = if day == today {
        Shape::Time
    } else if day.0 == today.0 {
        Shape::TimeAndDay
    } else {
        Shape::TimeAndDate
    };
    format_date(ms, lang, shape)
}

/// The local calendar day of a time, to tell where a day separator goes.
pub(super) fn local_day(ms: UnixMillis) -> (u32, u32, u32) {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    (date.get_full_year(), date.get_month(), date.get_date())
}

/// A day separator's text: "Today", "Yesterday", else the weekday and date as the interface
/// language writes them, with the year when it is not this one.
fn day_label(ms: UnixMillis, lang: Lang) -> String {
    let now = js_sys::Date::now() as UnixMillis;
    let day = local_day(ms);
    if day == local_day(now) {
        return i18n::t(lang, Key::Today).to_owned();
    }
    if day == local_day(now - 24 * 60 * 60 * 1000) {
        return i18n::t(lang, Key::Yesterday).to_owned();
    }
    let shape = if day.0 == local_day(now).0 {
        Shape::Day
    } else {
        Shape::DayOfYear
    };
    format_date(ms, lang, shape)
}

/// What a date is written with.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// 14:05
    Time,
    /// 14:05, 3 Dec
    TimeAndDay,
    /// 14:05, 3 Dec 2025
    TimeAndDate,
    /// Wednesday 3 December
    Day,
    /// Wednesday 3 December 2025
    DayOfYear,
}

impl Shape {
    fn fields(self) -> &'static [(&'static str, &'static str)] {
        const TIME: [(&str, &str); 2] = [("hour", "2-digit"), ("minute", "2-digit")];
        match self {
            Shape::Time => &TIME,
            Shape::TimeAndDay => &[TIME[0], TIME[1], ("day", "numeric"), ("month", "short")],
            Shape::TimeAndDate => &[
                TIME[0],
                TIME[1],
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
            ],
            Shape::Day => &[("weekday", "long"), ("day", "numeric"), ("month", "long")],
            Shape::DayOfYear => &[
                ("weekday", "long"),
                ("day", "numeric"),
                ("month", "long"),
                ("year", "numeric"),
            ],
        }
    }
}

thread_local! {
    /// One `Intl.DateTimeFormat` per language and shape, made on first use: `toLocaleString`
    /// with options makes a new one on every call (about a millisecond each, measured with
    /// `scripts/profile.sh join`), and a room's first screen writes dozens of times.
    static FORMATS: std::cell::RefCell<std::collections::HashMap<(Lang, Shape), js_sys::Function>> =
        Default::default();
}

fn format_date(ms: UnixMillis, lang: Lang, shape: Shape) -> String {
    let format = FORMATS.with_borrow_mut(|formats| {
        formats
            .entry((lang, shape))
            .or_insert_with(|| {
                let options = js_sys::Object::new();
                for (key, value) in shape.fields() {
                    // Setting a property of a fresh plain object cannot fail.
                    let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
                }
                let locales = js_sys::Array::of1(&lang.code().into());
                js_sys::Intl::DateTimeFormat::new(&locales, &options).format()
            })
            .clone()
    });
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A link as the browser will follow it: `None` if its URL parser refuses it, if the scheme is
/// not a safe one, or if it carries credentials (`https://bank.example@evil.example`). The text
/// is what was written when the browser keeps it as is, else the parsed URL.
pub fn checked_link(written: &str) -> Option<(String, String)> {
    let url = web_sys::Url::new(written).ok()?;
    if !matches!(url.protocol().as_str(), "https:" | "http:" | "xmpp:")
        || !url.username().is_empty()
        || !url.password().is_empty()
    {
        return None;
    }
    let href = url.href();
    let unchanged = href == written || href.strip_suffix('/') == Some(written);
    let text = if unchanged {
        written.to_owned()
    } else {
        href.clone()
    };
    Some((href, text))
}

/// The body as text nodes, styled as XEP-0393 says (every character kept, the directives shown
/// quieter and hidden from screen readers), with checked links as anchors (see
/// [`checked_link`]); everything else, markup included, stays text. A `/me` action (XEP-0245)
/// shows the sender's name instead.
fn body_view(body: &str, actor: &str) -> impl IntoView {
    let body = neutralise_overrides(body);
    if let Some(action) = styling::me_action(&body) {
        return view! {
            <span data-testid="message-me" class="message-me">
                <bdi>{actor.to_owned()}</bdi> " " {linked(action)}
            </span>
        }
        .into_any();
    }
    styling::style(&body)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let (class, depth) = match line.kind {
                LineKind::Plain => ("line", None),
                LineKind::Quote { depth } => ("line styling-quote", Some(depth.min(4))),
                LineKind::Pre => ("line styling-pre", None),
            };
            view! {
                {(i > 0).then_some("\n")}
                <span class=class data-depth=depth>
                    {line.nodes.into_iter().map(node_view).collect_view()}
                </span>
            }
        })
        .collect_view()
        .into_any()
}

/// One piece of a styled body: text (with its links), a directive (quiet, and not read out by
/// screen readers), or a span of a style around its pieces.
fn node_view(node: Node<'_>) -> AnyView {
    match node {
        Node::Text(text) => linked(text).into_any(),
        Node::Directive(d) => {
            view! { <span class="styling-directive" aria-hidden="true">{d.to_owned()}</span> }
                .into_any()
        }
        // A preformatted span is exactly what was written: no links either.
        Node::Styled {
            style: Style::Code,
            children,
        } => {
            let inner = children
                .into_iter()
                .map(|child| match child {
                    Node::Text(text) => text.to_owned().into_any(),
                    other => node_view(other),
                })
                .collect_view();
            view! { <code>{inner}</code> }.into_any()
        }
        Node::Styled { style, children } => {
            let inner = children.into_iter().map(node_view).collect_view();
            match style {
                Style::Strong => view! { <strong>{inner}</strong> }.into_any(),
                Style::Emphasis => view! { <em>{inner}</em> }.into_any(),
                _ => view! { <s>{inner}</s> }.into_any(),
            }
        }
    }
}

/// Text with its checked links as anchors.
fn linked(text: &str) -> impl IntoView {
    linkify(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.to_owned().into_any(),
            Segment::Link(written) => match checked_link(written) {
                Some((href, text)) => view! {
                    <a href=href target="_blank" rel="noopener noreferrer" dir="ltr">
                        {text}
                    </a>
                }
                .into_any(),
                None => written.to_owned().into_any(),
            },
        })
        .collect_view()
}
