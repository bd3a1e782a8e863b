//! Counted phrases ("1 room", "2 комнаты", "5 комнат") with the plural rules of Unicode CLDR
//! for whole numbers in English, Russian and French (the `plurals.xml` cardinal rules).
//!
//! Hand-written rather than taken from `icu_plurals`: three languages' integer rules are a few
//! lines, while the crate brings CLDR data and its provider machinery into the bundle. Each
//! catalog holds its language's rule (`plural`) and its phrases (`counted`);
//! [`super::counted`] puts them together.

/// The CLDR plural categories these languages use for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

/// Every phrase that counts something; `{n}` in a catalog's phrase is where the number goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Rooms in the room browser, all of them listed.
    Rooms,
    /// Rooms in the room browser while more are still coming.
    RoomsSoFar,
    /// Unread messages in a conversation.
    Unread,
    /// Messages below the part of the history on screen.
    NewMessages,
    /// People in a room.
    Occupants,
}

impl Counted {
    /// Every phrase, for the completeness tests.
    pub const ALL: [Counted; 5] = [
        Counted::Rooms,
        Counted::RoomsSoFar,
        Counted::Unread,
        Counted::NewMessages,
        Counted::Occupants,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{counted, Lang};

    #[test]
    fn russian_has_three_forms_for_whole_numbers() {
        let rooms = |n| counted(Lang::Ru, Counted::Rooms, n);
        assert_eq!(rooms(1), "1 комната");
        assert_eq!(rooms(2), "2 комнаты");
        assert_eq!(rooms(4), "4 комнаты");
        assert_eq!(rooms(5), "5 комнат");
        assert_eq!(rooms(0), "0 комнат");
        assert_eq!(rooms(11), "11 комнат");
        assert_eq!(rooms(12), "12 комнат");
        assert_eq!(rooms(14), "14 комнат");
        assert_eq!(rooms(21), "21 комната");
        assert_eq!(rooms(22), "22 комнаты");
        assert_eq!(rooms(111), "111 комнат");
        assert_eq!(rooms(1001), "1001 комната");
        let unread = |n| counted(Lang::Ru, Counted::Unread, n);
        assert_eq!(unread(1), "1 непрочитанное сообщение");
        assert_eq!(unread(3), "3 непрочитанных сообщения");
        assert_eq!(unread(25), "25 непрочитанных сообщений");
    }

    #[test]
    fn french_counts_zero_and_one_as_singular() {
        let rooms = |n| counted(Lang::Fr, Counted::Rooms, n);
        assert_eq!(rooms(0), "0 salon");
        assert_eq!(rooms(1), "1 salon");
        assert_eq!(rooms(2), "2 salons");
        assert_eq!(rooms(1_000_000), "1000000 de salons");
        assert_eq!(counted(Lang::Fr, Counted::Unread, 1), "1 message non lu");
        assert_eq!(counted(Lang::Fr, Counted::Unread, 7), "7 messages non lus");
    }

    #[test]
    fn english_has_one_and_other() {
        let rooms = |n| counted(Lang::En, Counted::Rooms, n);
        assert_eq!(rooms(0), "0 rooms");
        assert_eq!(rooms(1), "1 room");
        assert_eq!(rooms(2), "2 rooms");
        assert_eq!(
            counted(Lang::En, Counted::Occupants, 1),
            "1 person in the room"
        );
        assert_eq!(
            counted(Lang::En, Counted::Occupants, 3),
            "3 people in the room"
        );
    }

    #[test]
    fn every_phrase_has_the_number_in_every_form_of_every_language() {
        for lang in Lang::ALL {
            for what in Counted::ALL {
                for n in [0, 1, 2, 5, 11, 21, 1_000_000] {
                    let text = counted(lang, what, n);
                    assert!(
                        text.contains(&n.to_string()),
                        "{lang:?} {what:?} {n}: {text}"
                    );
                    assert!(!text.contains('{'), "{lang:?} {what:?} {n}: {text}");
                }
            }
        }
    }
}
