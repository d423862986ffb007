//! What routing tells clients after a decision: the DNS answer per client
//! region (and when its TTL-honest and TTL-ignoring clients move), and which
//! anycast clients move when a region goes dark or returns. Owns nothing;
//! touches the router and the recorder in the shared services (`Env`).

use crate::metrics::{Happening, Move};
use crate::scenario::RegionId;

use super::env::Env;
use super::health::Health;

/// Single-primary: every client region gets the same new answer from `at`.
pub fn dns_all(env: &mut Env, at: u64, target: RegionId) {
    for region in 0..env.n {
        dns_for(env, region, at, target);
    }
}

/// From `at`, resolvers answer `target` to the clients in `region`; notes
/// when its last TTL-honest and TTL-ignoring client re-resolves (moves).
pub fn dns_for(env: &mut Env, region: RegionId, at: u64, target: RegionId) {
    let Some(dns) = env.router.dns_mut() else {
        return;
    };
    if dns.answer_at(region, u64::MAX) == target {
        return;
    }
    dns.set_answer(region, at, target);
    let mut last: [Option<u64>; 2] = [None, None];
    for c in 0..dns.clients() as u32 {
        if env.clients[c as usize].region() != region {
            continue;
        }
        let m = dns.next_refresh(c, at);
        let slot = &mut last[usize::from(dns.is_stale(c))];
        *slot = Some(slot.map_or(m, |x| x.max(m)));
    }
    if last == [None, None] {
        return;
    }
    let what = Happening::DnsAnswers {
        target: env.name(target).into(),
        clients_in: env.name(region).into(),
    };
    env.rec.note(at, Some(target), what);
    for (stale, at) in last.iter().enumerate() {
        let Some(m) = *at else { continue };
        let what = Happening::ClientsMoved {
            region: env.name(region).into(),
            target: env.name(target).into(),
            how: if stale == 1 {
                Move::DnsStale
            } else {
                Move::DnsHonest
            },
        };
        env.rec.note(m, Some(region), what);
    }
}

/// Multi-primary: from `at`, each client region is answered its nearest
/// healthy region (fail-open: the nearest, when none is healthy).
pub fn dns_nearest_healthy(env: &mut Env, h: &Health, at: u64) {
    let mut changes = Vec::new();
    for region in 0..env.n {
        let prefs = &env.prefs[region];
        let Some(&nearest) = prefs.first() else {
            continue;
        };
        let best = prefs
            .iter()
            .copied()
            .find(|&r| !h.is_unhealthy(r))
            .unwrap_or(nearest);
        changes.push((region, best));
    }
    for (region, best) in changes {
        dns_for(env, region, at, best);
    }
}

/// Anycast: when `region` goes dark or comes back, the clients whose route
/// changes move one convergence sample later; notes the last per client
/// region.
pub fn anycast_moves(env: &mut Env, t: u64, region: RegionId) {
    let Some(a) = env.router.anycast() else {
        return;
    };
    let mut last: Vec<Option<(u64, RegionId)>> = vec![None; env.n];
    for (c, client) in env.clients.iter().enumerate() {
        let before = a.entry(&env.plan, c as u32, client.region(), t.saturating_sub(1));
        let moved_at = t + a.convergence_us[c];
        let after = a.entry(&env.plan, c as u32, client.region(), moved_at);
        if before != after && (before == Some(region) || after == Some(region)) {
            let slot = &mut last[client.region()];
            if slot.is_none_or(|(m, _)| moved_at > m) {
                *slot = after.map(|e| (moved_at, e));
            }
        }
    }
    for (from, entry) in last.iter().enumerate() {
        if let Some((m, e)) = *entry {
            let what = Happening::ClientsMoved {
                region: env.name(from).into(),
                target: env.name(e).into(),
                how: Move::Anycast,
            };
            env.rec.note(m, Some(from), what);
        }
    }
}
