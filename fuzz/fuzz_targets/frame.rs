//! Any bytes as one WebSocket frame: parsing must return a value or an error, never panic, and
//! whatever parses must serialise and parse back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parley::xmpp::stanza;
use parley::xmpp::xml::parse_frame_bytes;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(element)) = parse_frame_bytes(data) {
        let xml = element.to_xml().expect("a parsed tree holds only XML characters");
        let again = parse_frame_bytes(xml.as_bytes()).expect("our own output parses").expect("an element");
        assert_eq!(again, element);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = stanza::parse(text);
    }
});
