//! What the sign-in page needs of `config.json`, read with the browser's own JSON parser:
//! the app's reader (serde, `parley::config`) would be about 60 KB of this module.
//!
//! The app reads and checks the whole file when it starts. This reads the values the sign-in
//! page shows, with the app's own checks where they decide what it shows
//! (`config::languages`, `product_name_problem`, `is_hex_colour`), and runs the app's cheap
//! checks of the rest (the WebSocket address, the frame limit, the types), so that a file the
//! app would refuse does not show a form first; anything else the page would look different
//! for (a logo, guest access, the embedded layout, a key this does not know) is `None` too,
//! and the app draws the page from the start. Left to the app: whether the domains are valid
//! (its JID checks would be most of this module's size).

use parley::config::{is_hex_colour, languages, product_name_problem, FRAME_LIMITS};
use parley::i18n::Lang;
use parley::transport::policy::check_websocket_url;
use wasm_bindgen::{JsCast, JsValue};

/// Keys the sign-in page does not depend on (the app checks them), or reads below.
const KNOWN: [&str; 11] = [
    "$schema",
    "default_domain",
    "locked_domain",
    "websocket_url",
    "max_frame_bytes",
    "muc_service",
    "rooms",
    "branding",
    "languages",
    "default_language",
    "features",
];

pub struct Glance {
    pub product_name: String,
    pub accent_color: Option<String>,
    /// The domain shown after a user name (`locked_domain`, else `default_domain`).
    pub fixed_domain: Option<String>,
    pub registration: bool,
    pub languages: Vec<Lang>,
    pub default_language: Lang,
}

impl Glance {
    /// The page of a deployment without `config.json`.
    pub fn defaults() -> Self {
        Self {
            product_name: "Parley".to_owned(),
            accent_color: None,
            fixed_domain: None,
            registration: true,
            languages: Lang::ALL.to_vec(),
            default_language: Lang::En,
        }
    }

    pub fn read(json: &str) -> Option<Self> {
        let file = js_sys::JSON::parse(json)
            .ok()?
            .dyn_into::<js_sys::Object>()
            .ok()?;
        let keys = js_sys::Object::keys(&file);
        if keys
            .iter()
            .any(|k| k.as_string().is_none_or(|k| !KNOWN.contains(&k.as_str())))
        {
            return None;
        }
        let mut glance = Self::defaults();

        let branding = get(&file, "branding");
        if !branding.is_undefined() {
            let branding = branding.dyn_into::<js_sys::Object>().ok()?;
            for key in js_sys::Object::keys(&branding).iter() {
                match key.as_string()?.as_str() {
                    "product_name" => {
                        let name = string(&branding, "product_name")??;
                        if product_name_problem(&name).is_some() {
                            return None;
                        }
                        glance.product_name = name.trim().to_owned();
                    }
                    "accent_color" => {
                        let colour = string(&branding, "accent_color")??;
                        glance.accent_color = Some(colour).filter(|c| is_hex_colour(c));
                        glance.accent_color.as_ref()?;
                    }
                    _ => return None,
                }
            }
        }

        if let Some(url) = string(&file, "websocket_url")? {
            check_websocket_url(&url).ok()?;
        }
        let limit = get(&file, "max_frame_bytes");
        if !limit.is_undefined() {
            let (min, max) = FRAME_LIMITS;
            let limit = limit.as_f64()?;
            if limit.fract() != 0.0 || !(min as f64..=max as f64).contains(&limit) {
                return None;
            }
        }
        string(&file, "muc_service")?;
        let rooms = get(&file, "rooms");
        if !rooms.is_undefined() && !js_sys::Array::is_array(&rooms) {
            return None;
        }

        let locked = string(&file, "locked_domain")?;
        let default = string(&file, "default_domain")?;
        glance.fixed_domain = locked.or(default);

        let features = get(&file, "features");
        if !features.is_undefined() {
            let features = features.dyn_into::<js_sys::Object>().ok()?;
            for key in js_sys::Object::keys(&features).iter() {
                let key = key.as_string()?;
                let on = get(&features, &key).as_bool()?;
                match key.as_str() {
                    "registration" => glance.registration = on,
                    "room_browser" | "contact_management" => {}
                    _ => return None,
                }
            }
        }

        let offered = get(&file, "languages");
        let offered = if offered.is_undefined() {
            None
        } else {
            let list = offered.dyn_into::<js_sys::Array>().ok()?;
            Some(
                list.iter()
                    .map(|v| v.as_string())
                    .collect::<Option<Vec<_>>>()?,
            )
        };
        let (offered, default) = languages(offered, string(&file, "default_language")?).ok()?;
        glance.languages = offered;
        glance.default_language = default;
        Some(glance)
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `Some(None)` when the key is not there, `None` when it is not a string.
fn string(object: &JsValue, key: &str) -> Option<Option<String>> {
    let value = get(object, key);
    if value.is_undefined() {
        Some(None)
    } else {
        value.as_string().map(Some)
    }
}
