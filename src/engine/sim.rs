//! The run loop: pops events in (time, seq) order, hands them to a handler,
//! enforces the event and time bounds and keeps a digest of what it processed.

use super::queue::EventQueue;
use super::time::SimTime;
use std::sync::atomic::{AtomicU64, Ordering};

/// An event that can be folded into the run digest.
pub trait Tagged {
    /// A small number identifying the event's kind and target (not its payload).
    fn tag(&self) -> u64;
}

/// What the model implements: react to one event, scheduling others.
pub trait Handler<E> {
    fn handle(&mut self, now: SimTime, ev: E, queue: &mut EventQueue<E>);
}

/// Why the loop stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// More than `max_events` events would have been processed.
    EventBound(u64),
    /// More than this many events were pending at once (in-flight state).
    QueueBound(u64),
}

/// Counters of one run of the loop.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoopStats {
    pub events: u64,
    /// A multiply-xor fold of (time, tag) over every processed event.
    pub digest: u64,
}

/// The digest's starting value (FNV-1a's offset basis, kept from before).
pub const DIGEST_START: u64 = 0xcbf2_9ce4_8422_2325;
const MIX_TIME: u64 = 0x9e37_79b9_7f4a_7c15;
const MIX_STEP: u64 = 0xff51_afd7_ed55_8ccd;

/// Folds one event into the digest: one multiply on the dependency chain (the
/// time's multiply is independent of it), where a byte-wise FNV took sixteen.
pub(crate) fn fold(h: u64, time: u64, tag: u64) -> u64 {
    (h.rotate_left(23) ^ time.wrapping_mul(MIX_TIME) ^ tag).wrapping_mul(MIX_STEP)
}

impl LoopStats {
    pub fn new() -> Self {
        LoopStats {
            events: 0,
            digest: DIGEST_START,
        }
    }
}

/// Processes events until the queue is empty or the next one is after `until`.
/// Events at exactly `until` are processed.
pub fn run<E: Copy + Tagged, H: Handler<E>>(
    queue: &mut EventQueue<E>,
    handler: &mut H,
    until: SimTime,
    max_events: u64,
    stats: &mut LoopStats,
) -> Result<(), StopReason> {
    run_limited(queue, handler, until, (max_events, u64::MAX), None, stats)
}

/// [`run`] with a bound on the events pending at once as well: `limits` is
/// (max events processed, max events queued). The queue length is a counter,
/// so the check allocates nothing. Every 65,536 events the simulated time is
/// stored in `progress` (for a progress bar).
pub fn run_limited<E: Copy + Tagged, H: Handler<E>>(
    queue: &mut EventQueue<E>,
    handler: &mut H,
    until: SimTime,
    limits: (u64, u64),
    progress: Option<&AtomicU64>,
    stats: &mut LoopStats,
) -> Result<(), StopReason> {
    let (max_events, max_queued) = limits;
    while let Some(t) = queue.peek_time() {
        if queue.len() as u64 > max_queued {
            return Err(StopReason::QueueBound(max_queued));
        }
        if t > until {
            break;
        }
        if stats.events >= max_events {
            return Err(StopReason::EventBound(max_events));
        }
        let now = t;
        let ev = queue.pop_nonempty();
        stats.events += 1;
        if stats.events & 0xffff == 0 {
            if let Some(p) = progress {
                p.store(now.0, Ordering::Relaxed);
            }
        }
        stats.digest = fold(stats.digest, now.0, ev.tag());
        handler.handle(now, ev, queue);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy)]
    struct Tick(u64);
    impl Tagged for Tick {
        fn tag(&self) -> u64 {
            self.0
        }
    }
    struct Chain {
        seen: Vec<u64>,
    }
    impl Handler<Tick> for Chain {
        fn handle(&mut self, now: SimTime, ev: Tick, q: &mut EventQueue<Tick>) {
            self.seen.push(now.0);
            if ev.0 < 10 {
                q.push(now.plus(10), Tick(ev.0 + 1));
            }
        }
    }

    #[test]
    fn runs_until_and_bounds_events() {
        let mut q = EventQueue::new();
        q.push(SimTime(0), Tick(0));
        let mut h = Chain { seen: vec![] };
        let mut st = LoopStats::new();
        run(&mut q, &mut h, SimTime(50), 100, &mut st).unwrap();
        assert_eq!(h.seen, vec![0, 10, 20, 30, 40, 50]);
        let d1 = st.digest;
        let r = run(&mut q, &mut h, SimTime(1000), 8, &mut st);
        assert_eq!(r, Err(StopReason::EventBound(8)));
        let mut q = EventQueue::new();
        for i in 0..10 {
            q.push(SimTime(i), Tick(i));
        }
        let mut h = Chain { seen: vec![] };
        let r = run_limited(
            &mut q,
            &mut h,
            SimTime(1000),
            (100, 5),
            None,
            &mut LoopStats::new(),
        );
        assert_eq!(r, Err(StopReason::QueueBound(5)));
        assert_ne!(d1, st.digest);
    }

    #[test]
    fn digest_sees_order_time_and_kind() {
        let d = |evs: &[(u64, u64)]| evs.iter().fold(DIGEST_START, |h, &(t, g)| fold(h, t, g));
        let base = d(&[(1, 2), (3, 4)]);
        assert_ne!(base, d(&[(3, 4), (1, 2)]));
        assert_ne!(base, d(&[(1, 2), (3, 5)]));
        assert_ne!(base, d(&[(1, 2), (4, 4)]));
        assert_ne!(base, d(&[(1, 2)]));
    }
}
