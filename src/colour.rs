//! XEP-0392 Consistent Color Generation (§5.1 angle, §5.4 RGB through HSLuv at saturation 100
//! and lightness 50): a nick gets the same colour here as in every client that follows it.

use sha1::{Digest, Sha1};

/// §5.1: the hue angle of `text`, in degrees.
pub fn angle(text: &str) -> f64 {
    let digest = Sha1::digest(text.as_bytes());
    f64::from(u16::from_le_bytes([digest[0], digest[1]])) / 65536.0 * 360.0
}

/// The colour of `text` as CSS `#rrggbb`.
pub fn css(text: &str) -> String {
    let (r, g, b) = hsluv::hsluv_to_rgb(angle(text), 100.0, 50.0);
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
        let colour = css("Romeo");
        assert_eq!(colour.len(), 7);
        assert!(colour.starts_with('#'));
        assert_eq!(colour, css("Romeo"));
        assert_ne!(colour, css("Juliet"));
    }
}
