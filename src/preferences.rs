//! The choices a browser keeps between visits in `localStorage`: the interface language and
//! the theme (and, through [`remember`], the notification settings). Never any credential; a
//! remembered device's data is in IndexedDB ([`crate::indexeddb`]). Without a UI framework, so
//! that the first page (src/first) reads them as the app does.

use crate::i18n::{self, Key, Lang};

const LANG_STORAGE_KEY: &str = "parley.lang";
const THEME_STORAGE_KEY: &str = "parley.theme";

/// Light or dark: the system's (`prefers-color-scheme`) unless the person chose one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::System, Self::Light, Self::Dark]
            .into_iter()
            .find(|t| t.as_str() == s)
    }

    /// The toggle's order: system, light, dark, system...
    pub fn next(self) -> Self {
        match self {
            Self::System => Self::Light,
            Self::Light => Self::Dark,
            Self::Dark => Self::System,
        }
    }

    /// The toggle's symbol.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::System => "◐",
            Self::Light => "☀",
            Self::Dark => "☾",
        }
    }

    pub fn label(self) -> Key {
        match self {
            Self::System => Key::ThemeSystem,
            Self::Light => Key::ThemeLight,
            Self::Dark => Key::ThemeDark,
        }
    }
}

/// The theme this device chose, else the system's.
pub fn remembered_theme() -> Theme {
    remembered(THEME_STORAGE_KEY)
        .and_then(|t| Theme::parse(&t))
        .unwrap_or(Theme::System)
}

pub fn remember_theme(theme: Theme) {
    remember(THEME_STORAGE_KEY, theme.as_str());
}

/// What this device keeps under `key` in `localStorage`, if storage is there at all.
pub fn remembered(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(key).ok().flatten())
}

pub fn remember(key: &str, value: &str) {
    // Storage can be disabled (private mode, a partitioned frame); the choice then lasts for this visit.
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// The remembered choice, else the browser's preference order, else the deployment's default;
/// always one of the languages offered.
pub fn initial_lang(offered: &[Lang], default: Lang) -> Lang {
    let remembered = remembered(LANG_STORAGE_KEY)
        .and_then(|code| Lang::from_tag(&code))
        .filter(|lang| offered.contains(lang));
    remembered.unwrap_or_else(|| {
        let tags: Vec<String> = web_sys::window()
            .map(|w| {
                w.navigator()
                    .languages()
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect()
            })
            .unwrap_or_default();
        i18n::negotiate(tags.iter().map(String::as_str), offered, default)
    })
}

pub fn remember_lang(lang: Lang) {
    remember(LANG_STORAGE_KEY, lang.code());
}
