//! Our own profile picture (XEP-0084 publish): the person chooses an image, the browser decodes
//! it, and a centred square of it is drawn at [`SIZE`] pixels on a canvas and sent as PNG, so
//! what goes to the server is small and is a PNG whatever was chosen (XEP-0084 §4.1 asks every
//! publisher for one). Also the nickname (XEP-0172) and the vCard fields contacts read in our
//! details (XEP-0054).

use super::avatar::Avatar;
use super::state::avatars::{PublishFailure, Publishing};
use super::{tr, use_state};
use crate::i18n::{self, Key, Lang};
use crate::xmpp::vcard::EDITABLE;
use crate::xmpp::VCardField;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The side of the square sent, in pixels (XEP-0084 §7: between 32 and 96 is shown everywhere;
/// 128 stays sharp on high-density screens at about 20 KB).
pub const SIZE: u32 = 128;
/// A chosen file larger than this is not decoded: no camera photo comes near it.
const MAX_SOURCE_BYTES: f64 = 40.0 * 1024.0 * 1024.0;

#[component]
pub fn ProfilePicture() -> impl IntoView {
    let state = use_state();
    let upload = state.avatars.upload;
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        upload.set(Publishing::Pending);
        leptos::task::spawn_local(async move {
            let Some(png) = square_png(&file).await else {
                upload.try_set(Publishing::Failed(PublishFailure::NotAnImage));
                return;
            };
            let Some(account) = state.account() else {
                upload.try_set(Publishing::Failed(PublishFailure::NotOnline));
                return;
            };
            let side = SIZE as u16;
            if let Err(e) =
                account.command(|client, now| client.publish_avatar(&png, side, side, now))
            {
                upload.try_set(Publishing::Failed(e.into()));
            }
        });
    };
    let status = move || {
        let lang = state.lang.get();
        match upload.get() {
            Publishing::Idle => None,
            Publishing::Pending => Some(i18n::t(lang, Key::PictureSaving).to_owned()),
            Publishing::Done => Some(i18n::t(lang, Key::PictureSaved).to_owned()),
            Publishing::Failed(PublishFailure::NotAnImage) => {
                Some(i18n::t(lang, Key::PictureNotImage).to_owned())
            }
            Publishing::Failed(PublishFailure::NotOnline) => {
                Some(i18n::t(lang, Key::ErrSendNotOnline).to_owned())
            }
            Publishing::Failed(PublishFailure::Refused(condition)) => Some(format!(
                "{} {condition}",
                i18n::t(lang, Key::PictureNotSaved)
            )),
        }
    };
    let own = move || {
        state
            .connection
            .own_jid
            .get()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };
    let name = Signal::derive(move || own().split('@').next().unwrap_or_default().to_owned());
    let presence = Signal::derive(move || state.connection.own_show.get().as_str());
    view! {
        <section class="account-section profile-picture" aria-labelledby="profile-picture-title">
            <h3 id="profile-picture-title">{tr(Key::ProfilePicture)}</h3>
            <div class="profile-picture-row">
                {move || {
                    let address = own();
                    (!address.is_empty()).then(|| view! { <Avatar address name presence/> })
                }}
                <input
                    id="avatar-upload"
                    data-testid="avatar-upload"
                    class="visually-hidden"
                    type="file"
                    accept="image/png,image/jpeg,image/gif,image/webp"
                    on:change=on_change
                />
                <label class="button" for="avatar-upload">{tr(Key::ChoosePicture)}</label>
            </div>
            <p class="hint">{tr(Key::PictureHint)}</p>
            <p data-testid="avatar-upload-status" class="hint" role="status" data-state=move || upload.get().as_str()>
                {status}
            </p>
        </section>
    }
}

/// The centred square of `file`, decoded by the browser and drawn at [`SIZE`], as PNG bytes;
/// `None` when it is not an image the browser can decode.
async fn square_png(file: &web_sys::File) -> Option<Vec<u8>> {
    if file.size() > MAX_SOURCE_BYTES {
        return None;
    }
    let decoding = window().create_image_bitmap_with_blob(file).ok()?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(decoding).await.ok()?.dyn_into().ok()?;
    let (width, height) = (bitmap.width(), bitmap.height());
    let side = width.min(height);
    if side == 0 {
        return None;
    }
    let canvas: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(SIZE);
    canvas.set_height(SIZE);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let size = f64::from(SIZE);
    context
        .draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &bitmap,
            f64::from((width - side) / 2),
            f64::from((height - side) / 2),
            f64::from(side),
            f64::from(side),
            0.0,
            0.0,
            size,
            size,
        )
        .ok()?;
    bitmap.close();
    let url = canvas.to_data_url_with_type("image/png").ok()?;
    BASE64
        .decode(url.strip_prefix("data:image/png;base64,")?)
        .ok()
}

/// What the status line under a text part of our profile says: `saved`, or why not
/// (`not_saved` and the server's condition); nothing while idle or on its way.
fn text_status(lang: Lang, change: &Publishing, saved: Key, not_saved: Key) -> Option<String> {
    match change {
        Publishing::Done => Some(i18n::t(lang, saved).to_owned()),
        Publishing::Failed(PublishFailure::NotOnline) => {
            Some(i18n::t(lang, Key::ErrSendNotOnline).to_owned())
        }
        Publishing::Failed(PublishFailure::Refused(why)) => {
            Some(format!("{} {why}", i18n::t(lang, not_saved)))
        }
        Publishing::Failed(PublishFailure::NotAnImage) | Publishing::Idle | Publishing::Pending => {
            None
        }
    }
}

/// XEP-0172: the nickname we give ourselves.
#[component]
pub fn Nickname() -> impl IntoView {
    let state = use_state();
    let change = state.own_account.nick_change;
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(field) = input.get() {
            state.set_nickname(&field.value());
        }
    };
    let status = move || {
        text_status(
            state.lang.get(),
            &change.get(),
            Key::NicknameSaved,
            Key::NicknameNotSaved,
        )
    };
    view! {
        <form data-testid="nickname-form" class="account-section" novalidate on:submit=on_submit>
            <div class="field">
                <label for="nickname">{tr(Key::Nickname)}</label>
                <input
                    id="nickname"
                    data-testid="nickname"
                    class="input"
                    type="text"
                    maxlength="64"
                    autocomplete="nickname"
                    node_ref=input
                    prop:value=move || state.own_account.nick.get().unwrap_or_default()
                />
            </div>
            <p class="hint">{tr(Key::NicknameHint)}</p>
            <p data-testid="nickname-status" class="hint" role="status" data-state=move || change.get().as_str()>
                {status}
            </p>
            <button
                type="submit"
                data-testid="nickname-submit"
                class="button"
                disabled=move || change.get() == Publishing::Pending
            >
                {tr(Key::SaveNickname)}
            </button>
        </form>
    }
}

/// XEP-0054: the vCard fields contacts read in our details. The form fills in once our vCard is
/// read (saving is off until then, so blanks never overwrite what is stored), and only the
/// fields the person changed are sent: what another client wrote meanwhile stays.
#[component]
pub fn OwnVCard() -> impl IntoView {
    let state = use_state();
    let stored = state.own_account.vcard;
    let change = state.own_account.vcard_change;
    let values: Vec<(VCardField, RwSignal<String>)> = EDITABLE
        .iter()
        .map(|field| (*field, RwSignal::new(String::new())))
        .collect();
    let first_of = move |field: VCardField| {
        stored.with(|v| {
            v.as_ref()
                .and_then(|fields| fields.iter().find(|(f, _)| *f == field))
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
    };
    {
        let values = values.clone();
        Effect::new(move |_| {
            if stored.with(Option::is_some) {
                for (field, value) in &values {
                    value.set(first_of(*field));
                }
            }
        });
    }
    let on_submit = {
        let values = values.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let changed: Vec<(VCardField, String)> = values
                .iter()
                .map(|(field, value)| (*field, value.get_untracked().trim().to_owned()))
                .filter(|(field, value)| *value != first_of(*field).trim())
                .collect();
            if changed.is_empty() {
                return change.set(Publishing::Done);
            }
            state.save_own_vcard(changed);
        }
    };
    let status = move || {
        text_status(
            state.lang.get(),
            &change.get(),
            Key::OwnVCardSaved,
            Key::OwnVCardNotSaved,
        )
    };
    let inputs = values
        .into_iter()
        .map(|(field, value)| {
            let id = format!("own-vcard-{}", field.as_str());
            let label = tr(super::contact_details::vcard_key(field));
            let kind = match field {
                VCardField::Email => "email",
                VCardField::Phone => "tel",
                VCardField::Url => "url",
                _ => "text",
            };
            let autocomplete = match field {
                VCardField::FullName => "name",
                VCardField::Organisation => "organization",
                VCardField::Title => "organization-title",
                VCardField::Email => "email",
                VCardField::Phone => "tel",
                VCardField::Url => "url",
                VCardField::Birthday => "bday",
                VCardField::Locality => "address-level2",
                VCardField::Country => "country-name",
                _ => "off",
            };
            let control = if field == VCardField::Description {
                view! {
                    <textarea
                        id=id.clone()
                        data-testid="own-vcard-field"
                        data-field=field.as_str()
                        class="input"
                        rows="3"
                        maxlength="1000"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    ></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input
                        id=id.clone()
                        data-testid="own-vcard-field"
                        data-field=field.as_str()
                        class="input"
                        type=kind
                        maxlength="1000"
                        autocomplete=autocomplete
                        placeholder=(field == VCardField::Birthday).then_some("YYYY-MM-DD")
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                }
                .into_any()
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {control}
                </div>
            }
        })
        .collect_view();
    view! {
        <form data-testid="own-vcard" class="account-section" novalidate on:submit=on_submit>
            <h3>{tr(Key::OwnVCardTitle)}</h3>
            <p class="hint">{tr(Key::OwnVCardHint)}</p>
            {inputs}
            <p data-testid="own-vcard-status" class="hint" role="status" data-state=move || change.get().as_str()>
                {status}
            </p>
            <button
                type="submit"
                data-testid="own-vcard-submit"
                class="button"
                disabled=move || stored.with(Option::is_none) || change.get() == Publishing::Pending
            >
                {tr(Key::SaveOwnVCard)}
            </button>
        </form>
    }
}
