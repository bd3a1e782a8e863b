//! XEP-0392 Consistent Color Generation (§5.1 angle, §5.4 RGB through HSLuv at saturation 100):
//! a nick gets the same hue here as in every client that follows it. The lightness is the one
//! liberty taken: the XEP's 50 leaves some hues just under WCAG's 4.5:1 on white, so each theme
//! gets its own ([`ON_LIGHT`], [`ON_DARK`]); HSLuv keeps the hue and the perceived lightness
//! apart, so every nick of a theme is equally readable.

use sha1::{Digest, Sha1};

/// §5.1: the hue angle of `text`, in degrees.
pub fn angle(text: &str) -> f64 {
    let digest = Sha1::digest(text.as_bytes());
    f64::from(u16::from_le_bytes([digest[0], digest[1]])) / 65536.0 * 360.0
}

/// HSLuv lightness on the light theme's surfaces: at least 5:1 against white and the page.
pub const ON_LIGHT: f64 = 42.0;
/// HSLuv lightness on the dark theme's surfaces: at least 5:1 against them.
pub const ON_DARK: f64 = 68.0;

/// The colour of `text` at HSLuv `lightness`, as CSS `#rrggbb`.
pub fn css(text: &str, lightness: f64) -> String {
    let (r, g, b) = hsluv::hsluv_to_rgb(angle(text), 100.0, lightness);
    let byte = |c: f64| (c.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_match_the_specification_s_test_vectors() {
        for (text, expected) in [
            ("Romeo", 327.255249),
            ("juliet@capulet.lit", 209.410400),
            ("😺", 331.199341),
            ("council", 359.994507),
            ("Board", 171.430664),
        ] {
            assert!(
                (angle(text) - expected).abs() < 1e-5,
                "{text}: {}",
                angle(text)
            );
        }
    }

    #[test]
    fn a_colour_is_css_and_stable() {
        let colour = css("Romeo", ON_LIGHT);
        assert_eq!(colour.len(), 7);
        assert!(colour.starts_with('#'));
        assert_eq!(colour, css("Romeo", ON_LIGHT));
        assert_ne!(colour, css("Juliet", ON_LIGHT));
    }

    /// WCAG 2.x relative luminance of `#rrggbb`.
    fn luminance(css: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&css[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn every_hue_is_readable_on_both_themes() {
        // The surfaces nicks are drawn on (style/parley.css: --surface, --surface-2, --bg).
        let light = ["#ffffff", "#eef1f7", "#f4f6fa"];
        let dark = ["#1a202b", "#11151d", "#232a37"];
        for i in 0..360 {
            let nick = format!("nick{i}");
            for bg in light {
                let c = contrast(&css(&nick, ON_LIGHT), bg);
                assert!(c >= 4.5, "{nick} on {bg}: {c:.2}");
            }
            for bg in dark {
                let c = contrast(&css(&nick, ON_DARK), bg);
                assert!(c >= 4.5, "{nick} on {bg}: {c:.2}");
            }
        }
    }
}
