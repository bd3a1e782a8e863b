//! Transient notices. At most [`Toasts::MAX`] are shown; a notice equal to one already shown is
//! not shown twice; the oldest gives way to a new one. Anything a stranger can cause (bounced
//! messages, refused requests) would otherwise fill the screen.

use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast<T> {
    pub id: u64,
    pub notice: T,
}

#[derive(Debug, Clone)]
pub struct Toasts<T> {
    shown: VecDeque<Toast<T>>,
    next_id: u64,
}

impl<T> Default for Toasts<T> {
    fn default() -> Self {
        Self {
            shown: VecDeque::new(),
            next_id: 0,
        }
    }
}

impl<T: PartialEq + Clone> Toasts<T> {
    pub const MAX: usize = 3;

    /// Shows `notice`; returns its id, or `None` when the same notice is already up.
    pub fn push(&mut self, notice: T) -> Option<u64> {
        if self.shown.iter().any(|t| t.notice == notice) {
            return None;
        }
        if self.shown.len() >= Self::MAX {
            self.shown.pop_front();
        }
        self.next_id += 1;
        self.shown.push_back(Toast {
            id: self.next_id,
            notice,
        });
        Some(self.next_id)
    }

    pub fn dismiss(&mut self, id: u64) {
        self.shown.retain(|t| t.id != id);
    }

    pub fn shown(&self) -> Vec<Toast<T>> {
        self.shown.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_not_repeated() {
        let mut t = Toasts::default();
        assert!(t.push("a").is_some());
        assert!(t.push("a").is_none());
        for n in ["b", "c", "d"] {
            t.push(n);
        }
        let shown: Vec<_> = t.shown().into_iter().map(|t| t.notice).collect();
        assert_eq!(shown, ["b", "c", "d"]);
        let id = t.shown()[0].id;
        t.dismiss(id);
        assert_eq!(t.shown().len(), 2);
    }
}
