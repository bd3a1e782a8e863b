//! Telling the person about messages while they are not looking: desktop notifications
//! (Notifications API) while the tab is hidden, an optional sound (Web Audio: a short tone, no
//! file to fetch), and the unread count as a badge on the tab's icon (the title has it too). Only
//! what is addressed to the person counts: a chat with a contact, a private message or a mention
//! in a room; a stranger's message request does not. Permission is asked for from the control
//! only, never on load. The choices stay in `localStorage`, like the theme.

use super::state::conversations::Arrival;
use super::state::AppState;
use super::{remember, remembered, tr, use_state};
use crate::i18n::{self, Key};
use crate::linkify::neutralise_overrides;
use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AudioContext, Notification, NotificationOptions, NotificationPermission};

const ENABLED_KEY: &str = "parley.notify";
const PRIVATE_KEY: &str = "parley.notify.private";
const SOUND_KEY: &str = "parley.notify.sound";
/// A notification shows at most this much of a body.
const BODY_CHARS: usize = 200;

/// What the browser allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// No Notifications API here (some embedded and older browsers).
    Unsupported,
    NotAsked,
    Denied,
    Granted,
}

fn permission() -> Permission {
    let present =
        js_sys::Reflect::has(&window(), &JsValue::from_str("Notification")).unwrap_or(false);
    if !present {
        return Permission::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::NotAsked,
    }
}

#[derive(Clone, Copy)]
pub struct Alerts {
    pub permission: RwSignal<Permission>,
    /// Desktop notifications wanted (once the browser allows them).
    pub enabled: RwSignal<bool>,
    /// Notifications name the sender but not what they wrote.
    pub private: RwSignal<bool>,
    pub sound: RwSignal<bool>,
    audio: StoredValue<Option<AudioContext>, LocalStorage>,
}

impl Alerts {
    pub fn new() -> Self {
        Self {
            permission: RwSignal::new(Permission::Unsupported),
            enabled: RwSignal::new(true),
            private: RwSignal::new(false),
            sound: RwSignal::new(false),
            audio: StoredValue::new_local(None),
        }
    }

    /// Asks the browser, from the person's click.
    fn ask(&self) {
        let permission = self.permission;
        let Ok(asking) = Notification::request_permission() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = JsFuture::from(asking).await;
            permission.set(self::permission());
        });
    }

    /// A short, quiet tone. The audio context is made on the person's click (browsers let a page
    /// play sound only after one); made later, it may stay silent until the next click.
    fn beep(&self) {
        if self.audio.with_value(Option::is_none) {
            self.audio.set_value(AudioContext::new().ok());
        }
        self.audio.with_value(|audio| {
            if let Some(audio) = audio {
                let _ = tone(audio);
            }
        });
    }
}

impl Default for Alerts {
    fn default() -> Self {
        Self::new()
    }
}

fn tone(audio: &AudioContext) -> Result<(), JsValue> {
    let _ = audio.resume();
    let now = audio.current_time();
    let oscillator = audio.create_oscillator()?;
    let gain = audio.create_gain()?;
    oscillator.frequency().set_value(880.0);
    gain.gain().set_value_at_time(0.08, now)?;
    gain.gain()
        .exponential_ramp_to_value_at_time(0.0001, now + 0.25)?;
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&audio.destination())?;
    oscillator.start()?;
    oscillator.stop_with_when(now + 0.3)?;
    Ok(())
}

/// Reads the remembered choices and starts listening for arrivals.
pub fn start(state: AppState) {
    let alerts = state.alerts;
    alerts.permission.set(permission());
    alerts
        .enabled
        .set(remembered(ENABLED_KEY).as_deref() != Some("off"));
    alerts
        .private
        .set(remembered(PRIVATE_KEY).as_deref() == Some("on"));
    alerts
        .sound
        .set(remembered(SOUND_KEY).as_deref() == Some("on"));

    Effect::new(move |_| {
        let Some(arrival) = state.chats.arrived.get() else {
            return;
        };
        let visible = state.tab_visible.get_untracked();
        let on_screen = state.chats.open.get_untracked().as_ref() == Some(&arrival.conversation);
        if !arrival.personal || (visible && on_screen) {
            return;
        }
        if alerts.sound.get_untracked() {
            alerts.beep();
        }
        if !visible
            && alerts.enabled.get_untracked()
            && alerts.permission.get_untracked() == Permission::Granted
        {
            notify(state, &arrival);
        }
    });

    // The unread count on the tab's icon, for a tab among many.
    Effect::new(move |_| {
        let unread = state.chats.directory.with(|d| d.unread());
        set_icon(unread);
    });
}

fn notify(state: AppState, arrival: &Arrival) {
    let lang = state.lang.get_untracked();
    let conversation = arrival.conversation.clone();
    let name = if arrival.room {
        format!("{} · {}", arrival.from, state.room_name(&conversation))
    } else {
        state
            .contacts
            .roster
            .with_untracked(|r| r.name_of(&conversation))
    };
    let body = if state.alerts.private.get_untracked() {
        i18n::t(lang, Key::NotifyHiddenBody).to_owned()
    } else {
        arrival.body.chars().take(BODY_CHARS).collect()
    };
    let options = NotificationOptions::new();
    options.set_body(&neutralise_overrides(&body));
    // One per conversation: a newer message replaces the older notice.
    options.set_tag(conversation.as_str());
    options.set_icon("favicon.svg");
    let Ok(notification) = Notification::new_with_options(&neutralise_overrides(&name), &options)
    else {
        return;
    };
    let shown = notification.clone();
    let on_click = Closure::<dyn Fn()>::new(move || {
        let _ = window().focus();
        state.open_conversation(conversation.clone());
        shown.close();
    });
    notification.set_onclick(Some(on_click.as_ref().unchecked_ref()));
    // Lives as long as the notification may be clicked, which the page cannot know.
    on_click.forget();
}

/// The favicon, with the unread count in a badge when there is one.
fn set_icon(unread: u32) {
    let Ok(Some(link)) = document().query_selector("link[rel~='icon']") else {
        return;
    };
    let href = if unread == 0 {
        "favicon.svg".to_owned()
    } else {
        let count = if unread > 9 {
            "9+".to_owned()
        } else {
            unread.to_string()
        };
        let svg = format!(
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='#2f5bd3'/>\
             <path d='M11 24V8h6.5a5 5 0 0 1 0 10H11' fill='none' stroke='#fff' stroke-width='3' stroke-linecap='round' stroke-linejoin='round'/>\
             <circle cx='23' cy='9' r='9' fill='#c62828'/><text x='23' y='13' font-size='{}' font-family='sans-serif' font-weight='700' text-anchor='middle' fill='#fff'>{count}</text></svg>",
            if count.len() > 1 { 9 } else { 12 }
        );
        format!(
            "data:image/svg+xml,{}",
            String::from(js_sys::encode_uri_component(&svg))
        )
    };
    let _ = link.set_attribute("href", &href);
}

/// The control: ask for permission, then the choices.
#[component]
pub fn AlertsMenu() -> impl IntoView {
    let alerts = use_state().alerts;
    let permission = alerts.permission;
    let toggle = move |signal: RwSignal<bool>, key: &'static str| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            signal.set(on);
            remember(key, if on { "on" } else { "off" });
        }
    };
    let on_sound = {
        let toggle = toggle(alerts.sound, SOUND_KEY);
        move |ev: leptos::ev::Event| {
            toggle(ev);
            // The click lets the page make sound: a tone says what it will sound like.
            if alerts.sound.get_untracked() {
                alerts.beep();
            }
        }
    };
    let menu = NodeRef::<leptos::html::Details>::new();
    // Esc closes the menu, as it closes dialogs.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(menu) = menu.get_untracked() {
                menu.set_open(false);
                if let Ok(Some(summary)) = menu.query_selector("summary") {
                    if let Ok(summary) = summary.dyn_into::<web_sys::HtmlElement>() {
                        let _ = summary.focus();
                    }
                }
            }
        }
    };
    // A click anywhere else closes it, as a menu does.
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        let Some(menu) = menu.get_untracked() else {
            return;
        };
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|node| menu.contains(Some(&node)));
        if menu.open() && !inside {
            menu.set_open(false);
        }
    });
    on_cleanup(move || outside.remove());
    view! {
        <details class="alerts-menu" data-testid="notifications-menu" node_ref=menu on:keydown=on_keydown>
            <summary class="icon-button" aria-label=tr(Key::NotifyMenu) title=tr(Key::NotifyMenu)>
                // Drawn, not an emoji: not every system has a font for one.
                <svg class="bell" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path
                        fill="currentColor"
                        d="M12 3a6 6 0 0 0-6 6v3.6L4.4 15.2V16h15.2v-.8L18 12.6V9a6 6 0 0 0-6-6zm-2.2 14.5a2.2 2.2 0 0 0 4.4 0z"
                    />
                </svg>
            </summary>
            <div class="alerts-panel">
                {move || match permission.get() {
                    Permission::Unsupported => view! { <p class="muted">{tr(Key::NotifyUnsupported)}</p> }.into_any(),
                    Permission::Denied => view! { <p class="muted">{tr(Key::NotifyBlocked)}</p> }.into_any(),
                    Permission::NotAsked => view! {
                        <button data-testid="notifications-enable" type="button" class="button small primary" on:click=move |_| alerts.ask()>
                            {tr(Key::NotifyEnable)}
                        </button>
                    }.into_any(),
                    Permission::Granted => view! {
                        <Choice testid="notifications-on" label=Key::NotifyOn checked=alerts.enabled on_change=Callback::new(toggle(alerts.enabled, ENABLED_KEY))/>
                    }.into_any(),
                }}
                <Choice testid="notifications-private" label=Key::NotifyPrivate checked=alerts.private on_change=Callback::new(toggle(alerts.private, PRIVATE_KEY))/>
                <Choice testid="notifications-sound" label=Key::NotifySound checked=alerts.sound on_change=Callback::new(on_sound)/>
            </div>
        </details>
    }
}

/// One of the menu's checkboxes.
#[component]
fn Choice(
    testid: &'static str,
    label: Key,
    checked: RwSignal<bool>,
    on_change: Callback<leptos::ev::Event>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(ev)
            />
            {tr(label)}
        </label>
    }
}
