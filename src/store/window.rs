//! Which rows of a long list are rendered. Two shapes, one rule: the DOM holds what is in view and
//! a margin, never the whole list.
//!
//! - [`fixed_range`]: rows of one height (contacts, chats, requests, later rooms and occupants):
//!   the range follows the scroll position exactly.
//! - [`HistoryWindow`]: messages, whose heights vary: a slice of at most [`HistoryWindow::MAX`]
//!   rows that follows the newest messages while the person is at the bottom, grows a page at a
//!   time when they scroll up (dropping rows at the other end), and jumps back to the latest.

/// Rows `[first, last)` of `total` to render for a scroll position, with `overscan` rows above
/// and below the visible ones so fast scrolling shows no blank rows.
pub fn fixed_range(
    total: usize,
    scroll_top: i32,
    viewport: i32,
    row_height: i32,
    overscan: usize,
) -> (usize, usize) {
    let row = row_height.max(1) as usize;
    let first_visible = scroll_top.max(0) as usize / row;
    let visible = (viewport.max(0) as usize).div_ceil(row) + 1;
    let first = first_visible.saturating_sub(overscan).min(total);
    let last = (first_visible + visible + overscan).min(total);
    (first, last)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWindow {
    start: usize,
    end: usize,
    /// At the bottom: new messages enter the window (and old ones leave it).
    following: bool,
}

impl HistoryWindow {
    /// Rows rendered at most.
    pub const MAX: usize = 150;
    /// Rows added when scrolling past either end.
    pub const PAGE: usize = 50;

    /// The newest messages of a conversation of `len`.
    pub fn latest(len: usize) -> Self {
        Self {
            start: len.saturating_sub(Self::MAX),
            end: len,
            following: true,
        }
    }

    pub fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    pub fn is_following(&self) -> bool {
        self.following
    }

    /// Messages below the window: what "jump to the latest" would show.
    pub fn below(&self, len: usize) -> usize {
        len.saturating_sub(self.end)
    }

    /// The conversation now holds `len` messages, `dropped` of the oldest having left and
    /// `prepended` older ones come in before them since the last update: a window that does
    /// not follow stays on the same messages.
    pub fn update(&mut self, len: usize, dropped: usize, prepended: usize) {
        if self.following {
            *self = Self::latest(len);
        } else {
            self.end = (self.end + prepended).saturating_sub(dropped).min(len);
            self.start = (self.start + prepended)
                .saturating_sub(dropped)
                .min(self.end);
        }
    }

    /// At the oldest message here.
    pub fn at_oldest(&self) -> bool {
        self.start == 0
    }

    /// The person scrolled away from the bottom, or back to it (which follows again only if
    /// the window reaches the latest message).
    pub fn set_following(&mut self, following: bool, len: usize) {
        self.following = following && (self.following || self.end == len);
    }

    /// Scrolled to the top of the window: older rows come in, the newest leave if need be.
    /// Returns whether anything changed.
    pub fn older(&mut self) -> bool {
        if self.start == 0 {
            return false;
        }
        self.start = self.start.saturating_sub(Self::PAGE);
        if self.end - self.start > Self::MAX {
            self.end = self.start + Self::MAX;
            self.following = false;
        }
        true
    }

    /// Scrolled to the bottom of the window while newer rows exist below it.
    pub fn newer(&mut self, len: usize) -> bool {
        if self.end >= len {
            return false;
        }
        self.end = (self.end + Self::PAGE).min(len);
        self.start = self.start.max(self.end.saturating_sub(Self::MAX));
        true
    }

    pub fn jump_to_latest(&mut self, len: usize) {
        *self = Self::latest(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rows_follow_the_scroll_position() {
        assert_eq!(fixed_range(5_000, 0, 520, 52, 8), (0, 19));
        assert_eq!(fixed_range(5_000, 52 * 2_500, 520, 52, 8), (2_492, 2_519));
        assert_eq!(fixed_range(3, 0, 800, 52, 8), (0, 3));
        assert_eq!(fixed_range(0, -10, -1, 0, 8), (0, 0));
    }

    #[test]
    fn a_flood_keeps_the_window_small_and_at_the_latest() {
        let mut w = HistoryWindow::latest(0);
        for len in 1..=5_000 {
            w.update(len, 0, 0);
        }
        assert_eq!(w.range(), (4_850, 5_000));
        assert_eq!(w.below(5_000), 0);
    }

    #[test]
    fn scrolling_up_stays_bounded_and_the_latest_is_one_jump_away() {
        let mut w = HistoryWindow::latest(1_000);
        for _ in 0..10 {
            w.older();
        }
        let (start, end) = w.range();
        assert!(end - start <= HistoryWindow::MAX);
        assert_eq!(start, 350);
        assert!(!w.is_following());
        // New messages do not move a window the person is reading, nor old ones leaving.
        w.update(1_200, 0, 0);
        assert_eq!(w.range(), (start, end));
        w.update(1_200, 10, 0);
        assert_eq!(w.range(), (start - 10, end - 10));
        w.update(1_200, 0, 0);
        let end = end - 10;
        assert_eq!(w.below(1_200), 1_200 - end);
        assert!(w.newer(1_200));
        w.jump_to_latest(1_200);
        assert_eq!(w.range(), (1_050, 1_200));
        assert!(w.is_following());
        assert!(!w.newer(1_200));
        w.set_following(false, 1_200);
        assert!(!w.is_following());
        w.set_following(true, 1_200);
        assert!(w.is_following());
    }
}
