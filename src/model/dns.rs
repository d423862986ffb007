//! DNS routing: the answer the resolvers give over time, and each client's
//! cache, which expires at its own offset (TTL-ignoring clients keep it longer).
//! A leaf: imports nothing of the model.

use rand::RngExt;

use crate::engine::{Streams, Subsystem};
use crate::scenario::{Dns as DnsConfig, RegionId};

#[derive(Clone, Copy, Debug)]
struct Cache {
    /// First expiry of the answer resolved at time 0.
    phase_us: u64,
    /// How long an answer stays cached (TTL, or TTL + stale_extra).
    period_us: u64,
    stale: bool,
}

#[derive(Clone, Debug)]
pub struct Dns {
    /// Per client region: (from, answer), non-decreasing `from`. Resolvers
    /// answer single-primary clients alike, multi-primary ones by proximity.
    answers: Vec<Vec<(u64, RegionId)>>,
    /// Per client: its region (one byte: at most 64 regions).
    regions: Vec<u8>,
    caches: Vec<Cache>,
}

impl Dns {
    /// `config` = None: clients never re-resolve (no failover section).
    /// `first[r]`: the answer clients in region r resolve at the start.
    pub fn new(
        config: Option<&DnsConfig>,
        regions: Vec<RegionId>,
        streams: &Streams,
        first: &[RegionId],
    ) -> Dns {
        let mut rng = streams.stream(Subsystem::Dns, 0);
        let caches = (0..regions.len())
            .map(|_| match config {
                Some(c) => {
                    let stale = c.stale_fraction > 0.0 && rng.random::<f64>() < c.stale_fraction;
                    let period = if stale {
                        c.ttl_us.saturating_add(c.stale_extra_us)
                    } else {
                        c.ttl_us
                    };
                    let phase = if period > 0 {
                        rng.random_range(0..period)
                    } else {
                        0
                    };
                    Cache {
                        phase_us: phase,
                        period_us: period,
                        stale,
                    }
                }
                None => Cache {
                    phase_us: u64::MAX,
                    period_us: 0,
                    stale: false,
                },
            })
            .collect();
        Dns {
            answers: first.iter().map(|&r| vec![(0, r)]).collect(),
            regions: regions.iter().map(|&r| r as u8).collect(),
            caches,
        }
    }

    /// From `from_us` on, resolvers answer `target` to clients in `region`.
    pub fn set_answer(&mut self, region: RegionId, from_us: u64, target: RegionId) {
        let list = &mut self.answers[region];
        let last = list.last().map_or(0, |a| a.0);
        list.push((from_us.max(last), target));
    }

    /// The answer clients in `region` get at `t`.
    pub fn answer_at(&self, region: RegionId, t: u64) -> RegionId {
        let list = &self.answers[region];
        let i = list.partition_point(|a| a.0 <= t);
        list[i.saturating_sub(1)].1
    }

    /// When the client last resolved, as of `t`.
    fn last_refresh(&self, client: u32, t: u64) -> u64 {
        let c = self.caches[client as usize];
        if t < c.phase_us {
            0
        } else if c.period_us == 0 {
            t
        } else {
            t - (t - c.phase_us) % c.period_us
        }
    }

    /// The region `client` sends requests to at `t`.
    pub fn target(&self, client: u32, t: u64) -> RegionId {
        let region = RegionId::from(self.regions[client as usize]);
        match self.answers[region].as_slice() {
            // The answer never changed: the cache's age does not matter.
            [(_, only)] => *only,
            _ => self.answer_at(region, self.last_refresh(client, t)),
        }
    }

    /// First time >= `t` at which `client` re-resolves.
    pub fn next_refresh(&self, client: u32, t: u64) -> u64 {
        let c = self.caches[client as usize];
        if t <= c.phase_us {
            c.phase_us
        } else if c.period_us == 0 {
            t
        } else {
            let k = (t - c.phase_us).div_ceil(c.period_us);
            c.phase_us.saturating_add(k.saturating_mul(c.period_us))
        }
    }

    pub fn is_stale(&self, client: u32) -> bool {
        self.caches[client as usize].stale
    }

    pub fn clients(&self) -> usize {
        self.caches.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(ttl: u64) -> DnsConfig {
        DnsConfig {
            ttl_us: ttl,
            propagation_us: 0,
            stale_fraction: 0.0,
            stale_extra_us: 0,
        }
    }

    #[test]
    fn clients_move_when_their_cache_expires() {
        let mut d = Dns::new(Some(&cfg(60)), vec![0; 50], &Streams::new(1), &[0]);
        d.set_answer(0, 1000, 1);
        for c in 0..50u32 {
            let move_at = d.next_refresh(c, 1000);
            assert!((1000..1060).contains(&move_at));
            assert_eq!(d.target(c, move_at - 1), 0);
            assert_eq!(d.target(c, move_at), 1);
        }
    }

    #[test]
    fn no_failover_means_no_refresh() {
        let mut d = Dns::new(None, vec![0; 3], &Streams::new(1), &[2]);
        d.set_answer(0, 5, 1);
        assert_eq!(d.target(0, 1_000_000_000), 2);
    }
}
