//! When to try again after a connection was lost: exponential backoff with jitter, so that a
//! server coming back after a restart is not hit by every client at the same instant.
//!
//! The first try comes within a second (most drops are a blip: a train tunnel, a Wi-Fi hand-over),
//! then the wait doubles up to a minute. Each wait is drawn between half and all of its step
//! ("equal jitter"); the caller passes the random draw in, so this stays pure and tested natively.

/// The first step, in milliseconds.
const FIRST_MS: u64 = 1_000;
/// The longest wait between tries.
const MAX_MS: u64 = 60_000;

#[derive(Debug, Default, Clone)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// The wait before the next try; `random` is a uniform draw.
    pub fn next_delay_ms(&mut self, random: u16) -> u64 {
        let step = FIRST_MS
            .saturating_mul(1u64 << self.failures.min(16))
            .min(MAX_MS);
        self.failures = self.failures.saturating_add(1);
        let half = step / 2;
        half + half * u64::from(random) / u64::from(u16::MAX)
    }

    /// Online again: the next loss starts from the first step.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_second_to_a_minute_with_jitter_inside_each_step() {
        let mut low = Backoff::default();
        let mut high = Backoff::default();
        let lows: Vec<u64> = (0..9).map(|_| low.next_delay_ms(0)).collect();
        let highs: Vec<u64> = (0..9).map(|_| high.next_delay_ms(u16::MAX)).collect();
        assert_eq!(
            lows,
            [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(
            highs,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        // Many failures never overflow.
        let mut long = Backoff { failures: u32::MAX };
        assert_eq!(long.next_delay_ms(u16::MAX), MAX_MS);
    }

    #[test]
    fn being_online_again_starts_over() {
        let mut b = Backoff::default();
        for _ in 0..5 {
            b.next_delay_ms(0);
        }
        b.reset();
        assert_eq!(b.next_delay_ms(u16::MAX), FIRST_MS);
    }
}
