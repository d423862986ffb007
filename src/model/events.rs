//! Every event of the model, and its tag for the run digest. Owns nothing;
//! imports only the engine.

use crate::engine::Tagged;

/// Every event of the model. Small and `Copy`: the queue never allocates per event.
/// 24 bytes: a 16-byte layout (tried: `ReadServe` without its client) made
/// the compiler copy events through the stack in overlapping pieces, which
/// stalls store-to-load forwarding; the 64-region benchmark ran 35% slower.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The workload issues its next write.
    NextWrite,
    /// Attempt `attempt` of a write request reaches `dst` (through the entry
    /// region `via`) and commits there now.
    Commit {
        req: u64,
        key: u32,
        dst: u8,
        via: u8,
        attempt: u8,
    },
    /// Client-side routing: attempt `attempt` of `req` starts (after a backoff).
    Attempt { req: u64, attempt: u8 },
    /// Client-side routing: attempt `attempt` of `req` had no answer in time.
    AttemptTimeout { req: u64, attempt: u8 },
    /// The oldest outstanding request reaches its timeout: account for it.
    Settle,
    /// A replicated write (log index `idx` of `term`) is durable at `to`.
    Apply { to: u16, term: u32, idx: u64 },
    /// A broken replication stream to `to` may be resumed.
    StreamRetry { to: u16, term: u32 },
    /// A checker sends a probe to `target`.
    Probe { target: u16, slot: u16 },
    /// A probe's answer (or its timeout).
    ProbeDone { target: u16, slot: u16, ok: bool },
    /// A decided promotion takes effect (if `token` is still current).
    Promote { token: u32 },
    /// A fault starts or ends.
    FaultEdge { fault: u16, start: bool },
    /// Multi-primary: `origin`'s write `seq` is durable at `to`.
    MpApply { to: u8, origin: u8, seq: u64 },
    /// Multi-primary: the broken stream from `origin` to `peer` may resume.
    MpRetry { origin: u8, peer: u8 },
    /// Multi-primary: survivors exchange what they received from `lost`.
    AntiEntropy { lost: u8 },
    /// The primary learns that `from` durably received everything up to `idx`.
    Receipt { from: u16, term: u32, idx: u64 },
    /// Write `idx` has waited `semi_sync_timeout` for its receipts.
    SemiTimeout { term: u32, idx: u64 },
    /// The read workload issues its next read.
    NextRead,
    /// A read of `client` issued at `issue_us` reaches region `at`.
    ReadServe {
        issue_us: u64,
        client: u32,
        key: u32,
        at: u8,
    },
    /// Home-region: a decided move of `from`'s keys takes effect (if `token`
    /// is still current).
    Rehome { from: u8, token: u32 },
    /// Home-region sync: `from` durably holds `origin`'s write `seq`.
    MpReceipt { origin: u8, from: u8, seq: u64 },
}

impl Tagged for Ev {
    #[inline]
    fn tag(&self) -> u64 {
        match *self {
            Ev::NextWrite => 1,
            Ev::Commit { dst, via, .. } => 2 | (u64::from(dst) << 8) | (u64::from(via) << 16),
            Ev::Attempt { attempt, .. } => 12 | (u64::from(attempt) << 8),
            Ev::AttemptTimeout { attempt, .. } => 13 | (u64::from(attempt) << 8),
            Ev::Settle => 3,
            Ev::Apply { to, .. } => 4 | (u64::from(to) << 8),
            Ev::StreamRetry { to, .. } => 5 | (u64::from(to) << 8),
            Ev::Probe { target, slot } => 6 | (u64::from(target) << 8) | (u64::from(slot) << 24),
            Ev::ProbeDone { target, slot, ok } => {
                7 | (u64::from(target) << 8) | (u64::from(slot) << 24) | (u64::from(ok) << 40)
            }
            Ev::Promote { .. } => 8,
            Ev::FaultEdge { fault, start } => {
                9 | (u64::from(fault) << 8) | (u64::from(start) << 24)
            }
            Ev::Receipt { from, .. } => 10 | (u64::from(from) << 8),
            Ev::MpApply { to, origin, .. } => 14 | (u64::from(to) << 8) | (u64::from(origin) << 16),
            Ev::MpRetry { origin, peer } => 15 | (u64::from(origin) << 8) | (u64::from(peer) << 16),
            Ev::AntiEntropy { lost } => 16 | (u64::from(lost) << 8),
            Ev::SemiTimeout { .. } => 11,
            Ev::Rehome { from, .. } => 17 | (u64::from(from) << 8),
            Ev::MpReceipt { origin, from, .. } => {
                18 | (u64::from(origin) << 8) | (u64::from(from) << 16)
            }
            Ev::NextRead => 19,
            Ev::ReadServe { at, .. } => 20 | (u64::from(at) << 8),
        }
    }
}
