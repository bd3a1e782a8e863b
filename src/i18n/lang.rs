//! Choosing among the interface languages ([`Lang`], declared with the catalogs): reading a
//! language tag, and the negotiation between the person's preferences and what is offered.

use super::Lang;

impl Lang {
    /// Reads a language tag such as `ru-RU` or `fr`; only the primary subtag counts.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }
}

/// The first of the `offered` languages in the person's preference order (`navigator.languages`),
/// else `fallback` (the deployment's default language, English without one).
pub fn negotiate<'a>(
    preferred: impl IntoIterator<Item = &'a str>,
    offered: &[Lang],
    fallback: Lang,
) -> Lang {
    preferred
        .into_iter()
        .filter_map(Lang::from_tag)
        .find(|lang| offered.contains(lang))
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_preference_order() {
        let all = &Lang::ALL;
        assert_eq!(negotiate(["ru-RU", "en"], all, Lang::En), Lang::Ru);
        assert_eq!(negotiate(["de-DE", "fr-CA", "en"], all, Lang::En), Lang::Fr);
        assert_eq!(negotiate(["EN-gb"], all, Lang::En), Lang::En);
        assert_eq!(negotiate(["de", "ja"], all, Lang::En), Lang::En);
        assert_eq!(negotiate([], all, Lang::En), Lang::En);
        assert_eq!(negotiate(["", "fr_FR"], all, Lang::En), Lang::Fr);
    }

    #[test]
    fn only_offered_languages_are_chosen() {
        let offered = &[Lang::Fr, Lang::En];
        assert_eq!(negotiate(["ru", "en"], offered, Lang::Fr), Lang::En);
        assert_eq!(negotiate(["ru", "de"], offered, Lang::Fr), Lang::Fr);
    }
}
