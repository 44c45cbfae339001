//! Hybrid logical clock. A stamp packs wall-clock milliseconds and a counter
//! into one i64 (`millis << 16 | counter`) so SQLite orders stamps as integers.
//! The clock only moves forward and always exceeds every stamp it has seen.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const COUNTER_BITS: u32 = 16;
const COUNTER_MAX: i64 = (1 << COUNTER_BITS) - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stamp(pub i64);

impl Stamp {
    pub fn from_parts(millis: i64, counter: i64) -> Stamp {
        Stamp((millis << COUNTER_BITS) | (counter & COUNTER_MAX))
    }
    pub fn millis(self) -> i64 {
        self.0 >> COUNTER_BITS
    }
    pub fn counter(self) -> i64 {
        self.0 & COUNTER_MAX
    }
    pub fn time(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.millis())
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time() {
            Some(t) => write!(f, "{}-{:04x}", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"), self.counter()),
            None => write!(f, "{}", self.0),
        }
    }
}

/// Source of wall-clock time; tests substitute a fixed or skewed one.
pub type WallClock = fn() -> i64;

pub fn system_millis() -> i64 {
    Utc::now().timestamp_millis()
}

#[derive(Debug, Clone)]
pub struct Clock {
    last: Stamp,
    wall: WallClock,
}

impl Clock {
    pub fn new(last: Stamp, wall: WallClock) -> Clock {
        Clock { last, wall }
    }

    pub fn last(&self) -> Stamp {
        self.last
    }

    /// A fresh stamp for a local write, strictly above everything seen.
    pub fn tick(&mut self) -> Result<Stamp> {
        let now = (self.wall)();
        let next = if now > self.last.millis() { Stamp::from_parts(now, 0) } else { self.bump(self.last)? };
        self.last = next;
        Ok(next)
    }

    /// Takes note of a received stamp so later local stamps exceed it.
    pub fn observe(&mut self, seen: Stamp) {
        if seen > self.last {
            self.last = seen;
        }
    }

    /// How far `seen` is ahead of this machine's wall clock, in milliseconds.
    pub fn drift_ms(&self, seen: Stamp) -> i64 {
        seen.millis() - (self.wall)()
    }

    fn bump(&self, s: Stamp) -> Result<Stamp> {
        if s.counter() == COUNTER_MAX {
            // Counter exhausted within one millisecond: borrow the next one.
            Ok(Stamp::from_parts(s.millis() + 1, 0))
        } else if s.counter() < COUNTER_MAX {
            Ok(Stamp(s.0 + 1))
        } else {
            Err(Error::Sync("clock counter overflow".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frozen() -> i64 {
        1_700_000_000_000
    }

    #[test]
    fn never_goes_backwards_and_exceeds_observed() {
        let mut c = Clock::new(Stamp(0), frozen);
        let a = c.tick().unwrap();
        let b = c.tick().unwrap();
        assert!(b > a);
        let future = Stamp::from_parts(frozen() + 60_000, 7);
        c.observe(future);
        let d = c.tick().unwrap();
        assert!(d > future);
        c.observe(Stamp(1));
        assert!(c.tick().unwrap() > d);
    }
}
