//! The one windowed list behind every long list of fixed-height rows: contacts, chats, message
//! and subscription requests, rooms, occupants and blocked addresses. The list has the full
//! height; only the rows in view plus [`OVERSCAN`] above and below are in the DOM, each placed
//! with a transform. No well-kept crate does this for Leptos 0.8, so it is written here, over
//! [`fixed_range`] (tested natively).
//!
//! A row is keyed by what it is, never by its place, so the keyboard focus, and a screen
//! reader's place, stay on the row they were on while rows come and go around it. Lists whose
//! rows change while staying the same row (a contact's presence, a chat's unread count) key them
//! by identity and update them in place; the others by content, so a changed row is drawn anew.
//! A row that changes places is inserted again, which drops the focus: the list gives it back.
//!
//! Arrow keys move between rows (Home and End to the ends), as in a list box: the row comes into
//! view first, then its first button takes the focus, so rows outside the window are reached
//! too.

use crate::store::window::fixed_range;
use leptos::html;
use leptos::prelude::*;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Rows rendered above and below the visible ones, so fast scrolling shows no blank rows.
pub const OVERSCAN: usize = 8;
/// Viewport height assumed before the list has been measured.
const FALLBACK_VIEWPORT: i32 = 800;

/// What a windowed list is: its test id, class and heading, and its rows' height in pixels
/// (which must match the stylesheet).
#[derive(Clone, Copy)]
pub struct ListShape {
    pub testid: &'static str,
    pub class: &'static str,
    pub labelled_by: &'static str,
    pub row_height: i32,
}

/// The `transform` that puts row `index` in its place, following it as the row moves.
pub fn row_offset(index: Signal<usize>, row_height: i32) -> impl Fn() -> String {
    move || format!("translateY({}px)", index.get() as i32 * row_height)
}

/// A scroll container holding a windowed `<ul>` of `total` rows. `rows(first, last)` gives the
/// rows in `[first, last)`; `child(index, row)` renders one `<li>` (placed with [`row_offset`]);
/// `index` changes when the row moves. A row is keyed by its content: one that changes is
/// drawn anew. `reset` scrolls back to the top whenever it changes (a new filter).
pub fn windowed_list<T, R, C, V>(
    shape: ListShape,
    total: Signal<usize>,
    reset: Signal<u64>,
    rows: R,
    child: C,
) -> impl IntoView
where
    T: Clone + PartialEq + Eq + Hash + Send + Sync + 'static,
    R: Fn(usize, usize) -> Vec<T> + Send + Sync + 'static,
    C: Fn(Signal<usize>, T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Keyed by content, a row's content never changes under its view.
    let child = move |index, row: Signal<T>| child(index, row.get_untracked());
    keyed_windowed_list(shape, total, total, reset, rows, T::clone, child)
}

/// [`windowed_list`] for rows whose content changes while they stay the same row (a contact's
/// presence, a chat's unread count): each has an identity, `key(row)`, keeps its element while
/// its content changes, and `child` gets the row as a signal. Its `data-count` is `count`, not
/// the number of rows: a list with headings among its rows (the roster's groups) counts what it
/// lists.
pub fn keyed_windowed_list<T, K, R, KF, C, V>(
    shape: ListShape,
    total: Signal<usize>,
    count: Signal<usize>,
    reset: Signal<u64>,
    rows: R,
    key: KF,
    child: C,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    K: Clone + Eq + Hash + Send + Sync + 'static,
    R: Fn(usize, usize) -> Vec<T> + Send + Sync + 'static,
    KF: Fn(&T) -> K + Send + Sync + 'static,
    C: Fn(Signal<usize>, Signal<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroll_top = RwSignal::new(0);
    let viewport = RwSignal::new(0);
    let scroller = NodeRef::<html::Div>::new();
    let row_height = shape.row_height;

    let range = Memo::new(move |_| {
        let viewport = effective_viewport(viewport.get());
        fixed_range(
            total.get(),
            scroll_top.get(),
            viewport,
            row_height,
            OVERSCAN,
        )
    });
    let first = Memo::new(move |_| range.get().0);
    let visible = Memo::new(move |_| {
        let (first, last) = range.get();
        numbered(rows(first, last), &key)
    });

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.try_set(el.scroll_top());
            viewport.try_set(el.client_height());
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            // In the next frame, which lays the page out anyway: measured now, the page just
            // built would be laid out inside this task (the first rows use the window's height).
            request_animation_frame(measure);
        }
    });
    Effect::new(move |first: Option<()>| {
        reset.track();
        if first.is_some() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0);
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let list = NodeRef::<html::Ul>::new();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let (Some(ul), Some(el)) = (list.get_untracked(), scroller.get_untracked()) else {
            return;
        };
        let Some(from) = focused_row(&ev, &ul, row_height) else {
            return;
        };
        let last = total.get_untracked().saturating_sub(1);
        let to = match ev.key().as_str() {
            "ArrowDown" => (from + 1).min(last),
            "ArrowUp" => from.saturating_sub(1),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        let top = to as i32 * row_height;
        if top < el.scroll_top() {
            el.set_scroll_top(top);
        } else if top + row_height > el.scroll_top() + el.client_height() {
            el.set_scroll_top(top + row_height - el.client_height());
        }
        measure();
        // The row is rendered by the next frame, if it was outside the window.
        request_animation_frame(move || focus_row(&ul, to, row_height));
    };

    // Tachys moves a row that changed places by inserting it again, which takes the focus off
    // it. A control that lost the focus to nothing while it stayed in the page, and not to a
    // press elsewhere, gets it back once the list is updated.
    // Not a reactive value: a list being removed takes the focus off its rows as it goes, after
    // its reactive values are disposed.
    let pressed = Arc::new(AtomicBool::new(false));
    let press = {
        let pressed = pressed.clone();
        window_event_listener(leptos::ev::pointerdown, move |_| {
            pressed.store(true, Ordering::Relaxed);
            let pressed = pressed.clone();
            set_timeout(
                move || pressed.store(false, Ordering::Relaxed),
                std::time::Duration::ZERO,
            );
        })
    };
    on_cleanup(move || press.remove());
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        use leptos::wasm_bindgen::JsCast;
        if ev.related_target().is_some() || pressed.load(Ordering::Relaxed) {
            return;
        }
        let Some(control) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        queue_microtask(move || {
            let document = document();
            let to_nothing = match (document.active_element(), document.body()) {
                (Some(active), Some(body)) => active == *body,
                (active, _) => active.is_none(),
            };
            if to_nothing && control.is_connected() {
                let _ = control.focus();
            }
        });
    };

    // `place` is the row's place in the window, which moves as rows come and go above it; its
    // content is what the window holds under its identity now.
    let row_view = move |place: ReadSignal<usize>, (id, row): ((K, usize), T)| {
        let content = Memo::new(move |previous: Option<&T>| {
            visible.with(|rows| {
                let here = rows.get(place.get()).filter(|(k, _)| *k == id);
                match here.or_else(|| rows.iter().find(|(k, _)| *k == id)) {
                    Some((_, now)) => now.clone(),
                    // Leaving the window: its view goes with the next update.
                    None => previous.cloned().unwrap_or_else(|| row.clone()),
                }
            })
        });
        child(
            Signal::derive(move || first.get() + place.get()),
            content.into(),
        )
    };

    view! {
        <div class=format!("list-scroll {}-scroll", shape.class) node_ref=scroller on:scroll=move |_| measure()>
            <ul
                node_ref=list
                on:keydown=on_keydown
                on:focusout=on_focusout
                data-testid=shape.testid
                class=format!("windowed {}", shape.class)
                role="list"
                aria-labelledby=shape.labelled_by
                data-count=move || count.get().to_string()
                style:height=move || format!("{}px", total.get() as i32 * row_height)
            >
                <ForEnumerate
                    each=move || visible.get()
                    key=|(id, _)| id.clone()
                    children=row_view
                />
            </ul>
        </div>
    }
}

/// Each row with its identity: its key, and how many rows of that key come before it in the
/// window (a contact in two groups is on two rows), since a view's key must be unique.
fn numbered<T, K: Clone + Eq + Hash>(rows: Vec<T>, key: impl Fn(&T) -> K) -> Vec<((K, usize), T)> {
    let mut seen = std::collections::HashMap::<K, usize>::with_capacity(rows.len());
    rows.into_iter()
        .map(|row| {
            let k = key(&row);
            let n = seen.entry(k.clone()).or_default();
            *n += 1;
            ((k, *n - 1), row)
        })
        .collect()
}

/// The index of the row holding the focused control a key went to, unless that control uses the
/// arrows itself (a text field, a select).
fn focused_row(
    ev: &leptos::ev::KeyboardEvent,
    ul: &web_sys::HtmlElement,
    row_height: i32,
) -> Option<usize> {
    use leptos::wasm_bindgen::JsCast;
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
        return None;
    }
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    if matches!(target.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        return None;
    }
    let row = target.closest("li").ok()??;
    Some(row_index(&row, ul, row_height))
}

/// Where a row is, from its place in the list (rows are placed by transform, not in order).
fn row_index(row: &web_sys::Element, ul: &web_sys::HtmlElement, row_height: i32) -> usize {
    let offset = row.get_bounding_client_rect().top() - ul.get_bounding_client_rect().top();
    (offset / f64::from(row_height)).round().max(0.0) as usize
}

fn focus_row(ul: &web_sys::HtmlElement, index: usize, row_height: i32) {
    use leptos::wasm_bindgen::JsCast;
    let rows = ul.children();
    let found = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .find(|row| row_index(row, ul, row_height) == index);
    let control = found
        .and_then(|row| {
            row.query_selector("button, a[href], [tabindex]")
                .ok()
                .flatten()
        })
        .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(control) = control {
        let _ = control.focus();
    }
}

/// The measured viewport, bounded by the window: before layout (or without the stylesheet, as in
/// tests) the scroller can report its full content height, which would render every row.
fn effective_viewport(measured: i32) -> i32 {
    let window_height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .map_or(FALLBACK_VIEWPORT, |h| h as i32);
    if measured <= 0 {
        window_height
    } else {
        measured.min(window_height)
    }
}
