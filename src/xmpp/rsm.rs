//! XEP-0059 Result Set Management: asking for a page (§2.1, `<max/>` and `<after/>`; §2.5
//! backwards, `<before/>`) and reading where a page starts and ends (§2.1, `<first/>`, `<last/>`
//! and `<count/>`).
//!
//! [`Pager`] walks a result set forward and decides when it is complete. Real services are
//! untidy (ejabberd caps pages, its count drifts while rooms come and go, an item can repeat
//! across a page boundary) and hostile ones may never advance, so the walk ends on whichever
//! comes first: a page without a `<last/>` (the service does not page), an empty page, a `<last/>`
//! that did not move, [`Pager::MAX_STALLED_PAGES`] pages in a row with nothing new, or
//! [`Pager::MAX_PAGES`]. The count is a hint for progress, never a reason to go on.

use super::ns;
use super::xml::Element;

/// What a page says about where it sits in the whole set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultSet {
    pub first: Option<String>,
    pub last: Option<String>,
    pub count: Option<u64>,
}

impl ResultSet {
    /// The `<set/>` child of a reply's payload, if the service paged.
    pub fn parse(payload: &Element) -> Option<Self> {
        let set = payload.get_child("set", ns::RSM)?;
        let text = |name| {
            set.get_child(name, ns::RSM)
                .map(Element::text_content)
                .filter(|t| !t.is_empty())
        };
        Some(Self {
            first: text("first"),
            last: text("last"),
            count: text("count").and_then(|c| c.trim().parse().ok()),
        })
    }
}

/// `<set><max/><after/></set>`: the page after `after` (the first page when `None`).
pub fn request(max: u32, after: Option<&str>) -> Element {
    let set = Element::new("set", ns::RSM).text_child("max", ns::RSM, max.to_string());
    match after {
        Some(after) => set.text_child("after", ns::RSM, after),
        None => set,
    }
}

/// `<set><max/><before/></set>`: the page before `before` (the last page when `None`).
pub fn request_before(max: u32, before: Option<&str>) -> Element {
    let set = Element::new("set", ns::RSM).text_child("max", ns::RSM, max.to_string());
    set.child(match before {
        Some(before) => Element::new("before", ns::RSM).text(before),
        None => Element::new("before", ns::RSM),
    })
}

/// Where a forward walk over a result set stands.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    after: Option<String>,
    pages: u32,
    stalled: u32,
    count: Option<u64>,
}

/// What to do after a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Ask for the page after this key.
    After(String),
    Complete,
}

impl Pager {
    /// Items asked for per page; ejabberd serves at most 100.
    pub const PAGE_SIZE: u32 = 100;
    /// Pages asked for at most: 1,000 pages of 100 is 100,000 rooms.
    pub const MAX_PAGES: u32 = 1_000;
    /// Pages in a row that brought nothing new before the walk gives up.
    pub const MAX_STALLED_PAGES: u32 = 3;

    /// The `<set/>` for the next request.
    pub fn request(&self) -> Element {
        request(Self::PAGE_SIZE, self.after.as_deref())
    }

    /// The total the service last claimed, for progress only.
    pub fn count_hint(&self) -> Option<u64> {
        self.count
    }

    /// A page came back with `items` items, `new` of which were not seen before.
    pub fn page(&mut self, set: Option<ResultSet>, items: usize, new: usize) -> Next {
        self.pages += 1;
        self.stalled = if new == 0 { self.stalled + 1 } else { 0 };
        let Some(set) = set else {
            return Next::Complete;
        };
        if set.count.is_some() {
            self.count = set.count;
        }
        match set.last {
            _ if items == 0 => Next::Complete,
            _ if self.stalled >= Self::MAX_STALLED_PAGES || self.pages >= Self::MAX_PAGES => {
                Next::Complete
            }
            Some(last) if Some(&last) != self.after.as_ref() => {
                self.after = Some(last.clone());
                Next::After(last)
            }
            _ => Next::Complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(last: Option<&str>, count: Option<u64>) -> Option<ResultSet> {
        Some(ResultSet {
            first: None,
            last: last.map(str::to_owned),
            count,
        })
    }

    #[test]
    fn walks_forward_until_an_empty_page() {
        let mut pager = Pager::default();
        assert_eq!(
            pager.page(set(Some("a"), Some(250)), 100, 100),
            Next::After("a".into())
        );
        assert_eq!(pager.count_hint(), Some(250));
        assert_eq!(
            pager.page(set(Some("b"), Some(260)), 100, 100),
            Next::After("b".into())
        );
        assert_eq!(pager.page(set(None, Some(260)), 0, 0), Next::Complete);
    }

    #[test]
    fn a_service_that_does_not_page_is_complete_at_once() {
        assert_eq!(Pager::default().page(None, 2_000, 2_000), Next::Complete);
    }

    #[test]
    fn a_last_that_does_not_move_ends_the_walk() {
        let mut pager = Pager::default();
        assert_eq!(
            pager.page(set(Some("a"), None), 100, 100),
            Next::After("a".into())
        );
        assert_eq!(pager.page(set(Some("a"), None), 100, 3), Next::Complete);
    }

    #[test]
    fn pages_of_repeats_end_the_walk() {
        let mut pager = Pager::default();
        pager.page(set(Some("k0"), None), 100, 100);
        let mut pages = 0;
        for i in 1.. {
            pages += 1;
            if pager.page(set(Some(&format!("k{i}")), None), 100, 0) == Next::Complete {
                break;
            }
        }
        assert_eq!(pages, Pager::MAX_STALLED_PAGES);
    }

    #[test]
    fn a_claimed_count_of_millions_does_not_keep_it_going() {
        let mut pager = Pager::default();
        let mut pages = 0;
        while let Next::After(_) =
            pager.page(set(Some(&format!("k{pages}")), Some(9_000_000)), 1, 1)
        {
            pages += 1;
        }
        assert_eq!(pages + 1, Pager::MAX_PAGES);
    }

    #[test]
    fn parses_a_set_and_builds_a_request() {
        let reply = Element::new("query", ns::DISCO_ITEMS).child(
            Element::new("set", ns::RSM)
                .text_child("first", ns::RSM, "x")
                .text_child("last", ns::RSM, "y")
                .text_child("count", ns::RSM, " 1200 "),
        );
        assert_eq!(
            ResultSet::parse(&reply),
            Some(ResultSet {
                first: Some("x".into()),
                last: Some("y".into()),
                count: Some(1200)
            })
        );
        let xml = request(100, Some("y")).to_xml().unwrap();
        assert!(xml.contains("<max>100</max><after>y</after>"), "{xml}");
        let xml = request_before(50, None).to_xml().unwrap();
        assert!(xml.contains("<max>50</max><before/>"), "{xml}");
    }
}
