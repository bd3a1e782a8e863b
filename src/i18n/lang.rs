//! The interface languages and the choice among them. A module of its own so that the deployment
//! configuration can name languages without depending on the catalogs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ru,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Fr];

    /// The BCP 47 primary tag, used for `<html lang>` and for remembering the choice.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Fr => "fr",
        }
    }

    /// The language's name in itself, for the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Русский",
            Self::Fr => "Français",
        }
    }

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
