//! Look-alike addresses, by Unicode Technical Standard #39: two addresses are confusable when
//! their skeletons are equal (§4), and a label that mixes scripts beyond what the "highly
//! restrictive" level allows (§5.2) may imitate one written in a single script. Both judge the
//! bare address, whose parts the servers have prepared (RFC 7622: NFC or NFKC, lower case).
//!
//! Hand-written, with a subset of the data, for the bundle's size: the unicode-security crate
//! needs unicode-normalization's tables (about 50 KB of brotli, see
//! [`saslprep`](super::saslprep)) and carries all 6,355 mappings and every script range. Kept
//! here: the 535 mappings whose source can stand in a prepared address and whose prototype is
//! ASCII ([`table`], from `scripts/gen-confusables.py`), so an imitation of any address that
//! reads as ASCII is caught, whatever script imitates it; and the script of a character by its
//! block, for the scripts look-alikes come from; and the skeleton's NFD step for the 340
//! precomposed letters whose base has an ASCII prototype (so "ä" and Cyrillic "ӓ" meet as "a"
//! and U+0308) without unicode-normalization's tables. Not done: confusables between two
//! non-ASCII prototypes, and the final NFD's reordering of several marks.

mod table;

use super::jid::BareJid;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Why an address should not be trusted at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookalike {
    /// It reads like this other address, which the person knows (a contact).
    Resembles(BareJid),
    /// A part of it mixes scripts, as a Cyrillic "а" in an otherwise Latin name does.
    MixedScripts,
}

/// §4: the string with every character replaced by its prototype, lower-cased (addresses are
/// compared without case). Equal skeletons: the strings can pass for each other.
pub fn skeleton(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    prototypes(s, |piece| out.push_str(piece));
    out
}

/// The skeleton's pieces in order, without building it: a 20,000-contact roster is judged at
/// every login.
fn prototypes(s: &str, mut piece: impl FnMut(&str)) {
    for c in s.chars() {
        if c.is_ascii()
            || table::PROTOTYPES
                .binary_search_by_key(&c, |&(s, _)| s)
                .is_ok()
        {
            prototype(c, &mut piece);
            continue;
        }
        // §4's NFD step, for the letters whose base has a prototype: "ä" is "a" and U+0308.
        match table::DECOMPOSED.binary_search_by_key(&c, |&(source, _)| source) {
            Ok(i) => table::DECOMPOSED[i]
                .1
                .chars()
                .for_each(|d| prototype(d, &mut piece)),
            Err(_) => prototype(c, &mut piece),
        }
    }
}

/// One character's prototype: the table's, else itself lower-cased.
fn prototype(c: char, piece: &mut impl FnMut(&str)) {
    if c.is_ascii() {
        return piece(table::ASCII[c as usize]);
    }
    match table::PROTOTYPES.binary_search_by_key(&c, |&(source, _)| source) {
        Ok(i) => piece(table::PROTOTYPES[i].1),
        Err(_) => {
            let mut buf = [0u8; 4];
            c.to_lowercase()
                .for_each(|l| piece(l.encode_utf8(&mut buf)));
        }
    }
}

/// A 64-bit FNV-1a hash of the skeleton. Equal skeletons always collide; unequal ones almost
/// never, and when they do, the only harm is a flag on an address that does not deserve it.
fn skeleton_key(s: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    prototypes(s, |piece| {
        for byte in piece.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    });
    hash
}

/// §5.2: some label (the local part, or one of the domain's) uses scripts that no single
/// writing system combines. Common characters (digits, punctuation) and marks go with any.
pub fn mixes_scripts(address: &str) -> bool {
    // ASCII is Latin and Common only; most addresses are.
    !address.is_ascii()
        && address
            .split(['@', '.', '/'])
            .any(|label| !highly_restrictive(label))
}

fn highly_restrictive(label: &str) -> bool {
    let mut scripts: Vec<Script> = Vec::new();
    for script in label.chars().map(script_of) {
        if !matches!(script, Script::Common | Script::Inherited) && !scripts.contains(&script) {
            scripts.push(script);
        }
    }
    // The writing systems §5.1 lets Latin join Han and the scripts written with it.
    const JAPANESE: &[Script] = &[
        Script::Latin,
        Script::Han,
        Script::Hiragana,
        Script::Katakana,
    ];
    const CHINESE: &[Script] = &[Script::Latin, Script::Han, Script::Bopomofo];
    const KOREAN: &[Script] = &[Script::Latin, Script::Han, Script::Hangul];
    scripts.len() <= 1
        || [JAPANESE, CHINESE, KOREAN]
            .iter()
            .any(|system| scripts.iter().all(|s| system.contains(s)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Common,
    Inherited,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Georgian,
    Cherokee,
    Han,
    Hiragana,
    Katakana,
    Bopomofo,
    Hangul,
    /// Any other, told apart by the block it is in.
    Other(u32),
}

/// The script of `c` by the block it is in: blocks match scripts closely for the letters
/// look-alikes are made of; a character outside the blocks named here counts as its block's.
fn script_of(c: char) -> Script {
    use Script::*;
    let cp = c as u32;
    match cp {
        0x30..=0x39 => Common,
        0x41..=0x5A | 0x61..=0x7A => Latin,
        0x00..=0x7F | 0xD7 | 0xF7 => Common,
        0xAA | 0xBA | 0xC0..=0x24F | 0x1D00..=0x1D7F | 0x1E00..=0x1EFF => Latin,
        0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            Latin
        }
        0x250..=0x2AF => Latin,
        0x80..=0xBF | 0x2B0..=0x2FF => Common,
        0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F => {
            Inherited
        }
        0x370..=0x3FF | 0x1F00..=0x1FFF => Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Cyrillic,
        0x530..=0x58F | 0xFB13..=0xFB17 => Armenian,
        0x590..=0x5FF | 0xFB1D..=0xFB4F => Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Arabic,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF | 0x2D00..=0x2D2F => Georgian,
        0x13A0..=0x13FF | 0xAB70..=0xABBF => Cherokee,
        0x2000..=0x2BFF | 0x3000..=0x303F | 0xFF00..=0xFFEF => Common,
        0x2E80..=0x2FDF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Han,
        0x20000..=0x3FFFF => Han,
        0x3040..=0x309F => Hiragana,
        0x30A0..=0x30FF | 0x31F0..=0x31FF => Katakana,
        0x3100..=0x312F | 0x31A0..=0x31BF => Bopomofo,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Hangul,
        _ => Other(cp >> 7),
    }
}

/// Addresses the person knows, by skeleton: what a new address may be imitating.
#[derive(Debug, Clone, Default)]
pub struct KnownAddresses {
    /// The first address with each skeleton; nearly every skeleton has one.
    first: HashMap<u64, BareJid, KeyIsHash>,
    /// The others with the same skeleton, in the order they came.
    more: HashMap<u64, Vec<BareJid>, KeyIsHash>,
}

/// The keys are hashes already: hashing them again would be work for nothing.
type KeyIsHash = BuildHasherDefault<Identity>;

#[derive(Debug, Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl KnownAddresses {
    pub fn insert(&mut self, jid: &BareJid) {
        let key = skeleton_key(jid.as_str());
        match self.first.get(&key) {
            None => {
                self.first.insert(key, jid.clone());
            }
            Some(first) if first == jid => {}
            Some(_) => {
                let more = self.more.entry(key).or_default();
                if !more.contains(jid) {
                    more.push(jid.clone());
                }
            }
        }
    }

    pub fn remove(&mut self, jid: &BareJid) {
        let key = skeleton_key(jid.as_str());
        if self.first.get(&key) == Some(jid) {
            match self.more.get_mut(&key) {
                Some(more) if !more.is_empty() => {
                    let next = more.remove(0);
                    self.first.insert(key, next);
                }
                _ => {
                    self.first.remove(&key);
                }
            }
        } else if let Some(more) = self.more.get_mut(&key) {
            more.retain(|k| k != jid);
        }
        if self.more.get(&key).is_some_and(Vec::is_empty) {
            self.more.remove(&key);
        }
    }

    pub fn clear(&mut self) {
        self.first.clear();
        self.more.clear();
    }

    /// The known addresses that read like `jid` (itself included, if known), in the order
    /// they came.
    pub fn resembled_by(&self, jid: &BareJid) -> Vec<BareJid> {
        let key = skeleton_key(jid.as_str());
        self.first
            .get(&key)
            .into_iter()
            .chain(self.more.get(&key).into_iter().flatten())
            .cloned()
            .collect()
    }

    /// [`Self::judge`] for every known address at once, each skeleton computed once (what a
    /// roster load needs): the flagged ones only.
    pub fn judge_all(&self) -> Vec<(BareJid, Lookalike)> {
        let mut flagged = Vec::new();
        for (key, first) in &self.first {
            match self
                .more
                .get(key)
                .and_then(|more| more.first().map(|m| (more, m)))
            {
                Some((more, second)) => {
                    flagged.push((first.clone(), Lookalike::Resembles(second.clone())));
                    for other in more {
                        flagged.push((other.clone(), Lookalike::Resembles(first.clone())));
                    }
                }
                None if mixes_scripts(first.as_str()) => {
                    flagged.push((first.clone(), Lookalike::MixedScripts));
                }
                None => {}
            }
        }
        flagged
    }

    /// Whether `jid` should be flagged, and why: reading like another known address comes
    /// first, as it names what is imitated.
    pub fn judge(&self, jid: &BareJid) -> Option<Lookalike> {
        if let Some(other) = self.resembled_by(jid).into_iter().find(|k| k != jid) {
            return Some(Lookalike::Resembles(other));
        }
        mixes_scripts(jid.as_str()).then_some(Lookalike::MixedScripts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).unwrap()
    }

    #[test]
    fn skeletons_of_look_alikes_are_equal() {
        // Cyrillic а, е, о, р, с; Greek ο; the digit 0; "rn" for "m"; "1" and "l".
        assert_eq!(
            skeleton("\u{430}lice@localhost"),
            skeleton("alice@localhost")
        );
        assert_eq!(
            skeleton("\u{440}\u{435}t\u{441}\u{43e}@example.org"),
            skeleton("petco@example.org")
        );
        assert_eq!(skeleton("b\u{3bf}b@x"), skeleton("bob@x"));
        assert_eq!(skeleton("b0b@x"), skeleton("bob@x"));
        assert_eq!(skeleton("rnallory@x"), skeleton("mallory@x"));
        assert_eq!(skeleton("pau1@x"), skeleton("paul@x"));
        assert_ne!(skeleton("alice@localhost"), skeleton("alicia@localhost"));
        assert_ne!(skeleton("ivan@x"), skeleton("иван@x"));
    }

    #[test]
    fn the_nfd_step_meets_accented_letters_of_other_scripts() {
        // Latin ä and Cyrillic ӓ (U+04D3); Latin é and Cyrillic е with U+0301.
        assert_eq!(skeleton("j\u{e4}rvi@x"), skeleton("j\u{4d3}rvi@x"));
        assert_eq!(skeleton("ren\u{e9}@x"), skeleton("ren\u{435}\u{301}@x"));
        assert_eq!(skeleton("\u{e4}"), "a\u{308}");
        // The accent still counts: "ä" is not "a".
        assert_ne!(skeleton("j\u{e4}rvi@x"), skeleton("jarvi@x"));
        // A letter confusables.txt maps itself keeps that mapping (ơ reads as "o'"), not its NFD.
        assert_eq!(skeleton("\u{1a1}"), "o'");
        // The keys agree with the skeletons.
        assert_eq!(skeleton_key("j\u{e4}rvi@x"), skeleton_key("j\u{4d3}rvi@x"));
    }

    #[test]
    fn mixed_scripts_are_found_per_label() {
        assert!(mixes_scripts("\u{430}lice@localhost"));
        assert!(mixes_scripts("alice@l\u{43e}calhost"));
        assert!(!mixes_scripts("alice@localhost"));
        assert!(!mixes_scripts("иван@почта.рф"));
        // Latin names on a Cyrillic domain, and the reverse, are each one script per label.
        assert!(!mixes_scripts("ivan@почта.рф"));
        assert!(!mixes_scripts("ñandú-2024_x@例え.jp"));
        // Latin with the scripts Japanese, Chinese and Korean write with it.
        assert!(!mixes_scripts("tanakaたなか漢字カナ@x"));
        assert!(!mixes_scripts("kim김@x"));
        assert!(mixes_scripts("たなか김@x"));
        assert!(mixes_scripts("gr\u{3b5}ek@x"));
        assert!(mixes_scripts("\u{a4ee}lice@x"), "Lisu");
    }

    #[test]
    fn a_known_address_is_what_a_look_alike_resembles() {
        let mut known = KnownAddresses::default();
        known.insert(&jid("alice@localhost"));
        known.insert(&jid("bob@localhost"));
        let fake = jid("\u{430}lice@localhost");
        assert_eq!(
            known.judge(&fake),
            Some(Lookalike::Resembles(jid("alice@localhost")))
        );
        assert_eq!(known.judge(&jid("alice@localhost")), None);
        assert_eq!(known.judge(&jid("carol@localhost")), None);
        assert_eq!(
            known.judge(&jid("c\u{430}rol@localhost")),
            Some(Lookalike::MixedScripts)
        );
        // Both in the roster: each is flagged as resembling the other.
        known.insert(&fake);
        assert_eq!(
            known.judge(&jid("alice@localhost")),
            Some(Lookalike::Resembles(fake.clone()))
        );
        let mut all = known.judge_all();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            all,
            [
                (jid("alice@localhost"), Lookalike::Resembles(fake.clone())),
                (fake.clone(), Lookalike::Resembles(jid("alice@localhost"))),
            ]
        );
        known.remove(&fake);
        assert_eq!(known.judge(&jid("alice@localhost")), None);
        known.remove(&jid("alice@localhost"));
        assert_eq!(known.judge(&fake), Some(Lookalike::MixedScripts));
    }
}
