//! The one windowed list behind every long list of fixed-height rows: contacts, chats, message
//! and subscription requests (and later rooms and occupants). The list has the full height; only
//! the rows in view plus [`OVERSCAN`] above and below are in the DOM, each placed with a
//! transform. No well-kept crate does this for Leptos 0.8, so it is written here, over
//! [`fixed_range`] (tested natively).
//!
//! A row is keyed by its content (and which of equal rows it is), not by its place: a row whose
//! data changes (a presence dot, an unread count) re-renders alone, and one that only moves, as
//! another contact comes online above it, keeps its element and only its offset changes. So
//! the keyboard focus, and a screen reader's place, stay on the contact they were on.
//!
//! Arrow keys move between rows (Home and End to the ends), as in a list box: the row comes into
//! view first, then its first button takes the focus, so rows outside the window are reached
//! too.

use crate::store::window::fixed_range;
use leptos::html;
use leptos::prelude::*;
use std::hash::Hash;

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
/// `index` changes when the row moves.
/// `reset` scrolls back to the top whenever it changes (a new filter).
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
    counted_windowed_list(shape, total, total, reset, rows, child)
}

/// [`windowed_list`] whose `data-count` is `count`, not the number of rows: a list with
/// headings among its rows (the roster's groups) counts what it lists.
pub fn counted_windowed_list<T, R, C, V>(
    shape: ListShape,
    total: Signal<usize>,
    count: Signal<usize>,
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
        numbered_equals(rows(first, last))
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

    // `place` is the row's place in the window, which moves as rows come and go above it.
    let row_view = move |place: ReadSignal<usize>, (row, _): (T, usize)| {
        child(Signal::derive(move || first.get() + place.get()), row)
    };

    view! {
        <div class=format!("list-scroll {}-scroll", shape.class) node_ref=scroller on:scroll=move |_| measure()>
            <ul
                node_ref=list
                on:keydown=on_keydown
                data-testid=shape.testid
                class=format!("windowed {}", shape.class)
                role="list"
                aria-labelledby=shape.labelled_by
                data-count=move || count.get().to_string()
                style:height=move || format!("{}px", total.get() as i32 * row_height)
            >
                <ForEnumerate
                    each=move || visible.get()
                    key=|row| row.clone()
                    children=row_view
                />
            </ul>
        </div>
    }
}

/// Each row with how many equal rows come before it in the window: the key of a row must be
/// unique, and a contact in two groups is two equal rows.
fn numbered_equals<T: Clone + Eq + Hash>(rows: Vec<T>) -> Vec<(T, usize)> {
    let mut seen = std::collections::HashMap::<T, usize>::with_capacity(rows.len());
    rows.into_iter()
        .map(|row| {
            let n = seen.entry(row.clone()).or_default();
            *n += 1;
            (row, *n - 1)
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
