//! The recorder: what the model reports as it happens (requests, applies,
//! bytes, losses, timeline). It never changes the world or draws randomness.

use super::happening::Happening;
use super::histogram::Histogram;
use super::ranges::RangeTracker;
use super::restore::Restoration;

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Acknowledged by region `by`; the client saw success at `ack_us`.
    Acked { ack_us: u64, by: usize },
    /// Failed; the client saw the failure at `at_us` (error reply or timeout).
    Failed { at_us: u64 },
}

/// An incident as the recorder needs it.
#[derive(Clone, Debug)]
pub struct Window {
    pub start_us: u64,
    pub end_us: u64,
    pub cause: String,
}

/// A write whose acknowledged effect is gone.
#[derive(Clone, Debug)]
pub struct Loss {
    pub id: u64,
    pub key: u32,
    pub region: usize,
    pub commit_us: u64,
    /// When the loss became final (promotion, end of run).
    pub at_us: u64,
}

#[derive(Clone, Debug)]
pub struct Recorder {
    pub windows: Vec<Window>,
    pub latency: Histogram,
    pub lag: Vec<Histogram>,
    pub lag_series: Vec<Vec<u64>>,
    /// Per region: acknowledged writes it served, per second of their issue.
    pub writes_served: Vec<Vec<u64>>,
    /// Per client region: (ok, total) per second.
    pub requests: Vec<Vec<(u64, u64)>>,
    /// Per client region: (stale, answered) reads per second of issue.
    pub read_series: Vec<Vec<(u64, u64)>>,
    pub acked: u64,
    pub failed: u64,
    pub bytes_by_link: Vec<u64>,
    pub losses: Vec<Loss>,
    /// (at, kind, region it concerns, text), in the order noted.
    pub timeline: Vec<(u64, Option<usize>, Happening)>,
    /// Periods without an accepting writer: (from, to or None).
    pub writer_gaps: Vec<(u64, Option<u64>)>,
    /// The RTO of metrics.md: affected clients and their restoration.
    pub restore: Restoration,
    /// `[workload] slow_request`: a success slower than this is impaired.
    pub slow_request_us: Option<u64>,
    /// Commit times of acknowledged writes a deposed writer accepted.
    pub split_brain_writes: Vec<u64>,
    /// Orphans set aside: (failover time, acknowledged orphans, of which in
    /// the final state).
    pub orphans: Vec<(u64, u64, u64)>,
    /// Per region: meetings of concurrent versions of a key.
    pub conflicts: Vec<u64>,
    pub lww_discarded: u64,
    pub lww_inversions: u64,
    /// Reads issued, answered in time, and answered with a stale version.
    pub reads: u64,
    pub reads_ok: u64,
    pub stale_reads: u64,
    pub read_latency: Histogram,
    /// Records that reached a region outside their jurisdiction.
    pub residency_violations: u64,
    /// Per residency range figures (`None` without `[[residency]]` rules).
    pub ranges: Option<RangeTracker>,
    seconds: usize,
}

impl Recorder {
    pub fn new(
        regions: usize,
        links: usize,
        clients: usize,
        windows: Vec<Window>,
        end_us: u64,
    ) -> Self {
        let seconds = (end_us / 1_000_000 + 1) as usize;
        Recorder {
            restore: Restoration::new(clients, windows.iter().map(|w| w.start_us).collect()),
            slow_request_us: None,
            split_brain_writes: Vec::new(),
            orphans: Vec::new(),
            windows,
            latency: Histogram::default(),
            lag: vec![Histogram::default(); regions],
            lag_series: vec![Vec::new(); regions],
            writes_served: vec![Vec::new(); regions],
            requests: vec![Vec::new(); regions],
            read_series: vec![Vec::new(); regions],
            acked: 0,
            failed: 0,
            bytes_by_link: vec![0; links],
            losses: Vec::new(),
            timeline: Vec::new(),
            writer_gaps: Vec::new(),
            conflicts: vec![0; regions],
            lww_discarded: 0,
            lww_inversions: 0,
            reads: 0,
            reads_ok: 0,
            stale_reads: 0,
            read_latency: Histogram::default(),
            residency_violations: 0,
            ranges: None,
            seconds,
        }
    }

    /// Index of the incident whose window [start, next start) holds `t`.
    pub fn incident_at(&self, t: u64) -> Option<usize> {
        self.windows
            .partition_point(|w| w.start_us <= t)
            .checked_sub(1)
    }

    /// How many one-second buckets the run has.
    pub fn seconds(&self) -> usize {
        self.seconds
    }

    fn bucket(&self, t: u64) -> usize {
        ((t / 1_000_000) as usize).min(self.seconds - 1)
    }

    /// A write request settled (called in issue order) after `attempts`
    /// attempts (more than one: it needed a failover).
    pub fn request(
        &mut self,
        client: u32,
        client_region: usize,
        issue_us: u64,
        outcome: Outcome,
        attempts: u8,
    ) {
        let (done, ack, failed) = match outcome {
            Outcome::Acked { ack_us, .. } => (ack_us, Some(ack_us), false),
            Outcome::Failed { at_us } => (at_us, None, true),
        };
        let slow = self
            .slow_request_us
            .is_some_and(|s| done.saturating_sub(issue_us) > s);
        let impaired = failed || attempts > 1 || slow;
        self.restore.settled(client, issue_us, done, impaired, ack);
        let b = self.bucket(issue_us);
        let series = &mut self.requests[client_region];
        if series.len() <= b {
            series.resize(b + 1, (0, 0));
        }
        series[b].1 += 1;
        match outcome {
            Outcome::Acked { ack_us, by } => {
                series[b].0 += 1;
                let served = &mut self.writes_served[by];
                if served.len() <= b {
                    served.resize(b + 1, 0);
                }
                served[b] += 1;
                self.acked += 1;
                self.latency.record(ack_us.saturating_sub(issue_us));
            }
            Outcome::Failed { .. } => self.failed += 1,
        }
    }

    /// A read was issued: an attempted request until `read_answered` says it
    /// succeeded (one that never does failed). Reads never feed the RTO.
    pub fn read_issued(&mut self, client_region: usize, issue_us: u64) {
        let b = self.bucket(issue_us);
        let series = &mut self.requests[client_region];
        if series.len() <= b {
            series.resize(b + 1, (0, 0));
        }
        series[b].1 += 1;
        self.reads += 1;
    }

    /// A read issued at `issue_us` was answered in time, after `latency_us`.
    pub fn read_answered(
        &mut self,
        client_region: usize,
        issue_us: u64,
        latency_us: u64,
        stale: bool,
    ) {
        let b = self.bucket(issue_us);
        let slot = self.requests[client_region].get_mut(b);
        debug_assert!(
            slot.as_ref().is_some_and(|s| s.0 < s.1),
            "a read answered in a second where none was issued"
        );
        if let Some(slot) = slot {
            slot.0 += 1;
        }
        let reads = &mut self.read_series[client_region];
        if reads.len() <= b {
            reads.resize(b + 1, (0, 0));
        }
        reads[b].0 += u64::from(stale);
        reads[b].1 += 1;
        self.reads_ok += 1;
        self.stale_reads += u64::from(stale);
        self.read_latency.record(latency_us);
    }

    /// A replicated write was applied at `replica`.
    pub fn applied(&mut self, replica: usize, commit_us: u64, apply_us: u64) {
        let lag = apply_us.saturating_sub(commit_us);
        self.lag[replica].record(lag);
        let b = self.bucket(apply_us);
        let s = &mut self.lag_series[replica];
        if s.len() <= b {
            s.resize(b + 1, 0);
        }
        s[b] = s[b].max(lag);
    }

    pub fn bytes(&mut self, link: usize, n: u64) {
        self.bytes_by_link[link] += n;
    }

    pub fn lost(&mut self, loss: Loss) {
        self.losses.push(loss);
    }

    /// Something happened that the timeline shows; `region` is the one it
    /// concerns (for routing: the client region).
    pub fn note(&mut self, at_us: u64, region: Option<usize>, what: Happening) {
        self.timeline.push((at_us, region, what));
    }

    /// Region `r` met a version concurrent with its own.
    pub fn conflict(&mut self, r: usize) {
        self.conflicts[r] += 1;
    }

    /// An acknowledged write vanished under last-writer-wins; `inversion`:
    /// it was truly later than the write that won.
    pub fn lww_discarded(&mut self, inversion: bool) {
        self.lww_discarded += 1;
        self.lww_inversions += u64::from(inversion);
    }

    /// The write request for `key` settled (residency ranges only).
    pub fn range_request(&mut self, key: u32, outcome: Outcome) {
        let incident = match outcome {
            Outcome::Failed { at_us } => self.incident_at(at_us),
            Outcome::Acked { .. } => None,
        };
        if let Some(r) = self.ranges.as_mut() {
            r.request(key, incident, outcome);
        }
    }

    pub fn residency_violation(&mut self) {
        self.residency_violations += 1;
    }

    /// An attempt of `client`'s request failed, seen by the client at `at_us`
    /// (it may still succeed on a later attempt).
    pub fn attempt_failed(&mut self, client: u32, at_us: u64) {
        self.restore.attempt_failed(client, at_us);
    }

    /// A deposed writer acknowledged a write committed at `at_us`.
    pub fn split_brain_write(&mut self, at_us: u64) {
        self.split_brain_writes.push(at_us);
    }

    /// The history of a region set aside at the failover of `fork_us` held
    /// `acked` acknowledged writes; `surviving` of them are in the final state.
    pub fn orphans_set_aside(&mut self, fork_us: u64, acked: u64, surviving: u64) {
        if acked > 0 {
            self.orphans.push((fork_us, acked, surviving));
        }
    }

    pub fn writer_lost(&mut self, at_us: u64) {
        if !matches!(self.writer_gaps.last(), Some((_, None))) {
            self.writer_gaps.push((at_us, None));
        }
    }

    pub fn writer_back(&mut self, at_us: u64) {
        if let Some((_, to @ None)) = self.writer_gaps.last_mut() {
            *to = Some(at_us);
        }
    }
}
