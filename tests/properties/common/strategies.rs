//! Strategies for valid scenarios: every topology, plain, healing and with a single
//! primary outside a residency rule's jurisdiction.

use proptest::prelude::*;

use super::*;

// ---------------------------------------------------------------------------
// Strategies for valid scenarios
// ---------------------------------------------------------------------------

pub(crate) fn arb_lat() -> impl Strategy<Value = Lat> {
    prop_oneof![
        (1_000u64..=100_000).prop_map(Lat::Constant),
        (1_000u64..=100_000, 0u64..=20_000).prop_map(|(mean, sd)| Lat::Normal {
            mean,
            stddev: sd.min(mean / 2),
        }),
        (1_000u64..=50_000, 0u64..=50_000).prop_map(|(median, extra)| Lat::LogNormal {
            median,
            p99: median + extra,
        }),
        (1_000u64..=100_000, 0u64..=50_000).prop_map(|(min, w)| Lat::Uniform {
            min,
            max: (min + w).min(100_000),
        }),
    ]
}

pub(crate) fn arb_bandwidth() -> impl Strategy<Value = Option<(&'static str, u64)>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(("5Mbps", 5_000_000))),
        1 => Just(Some(("100Mbps", 100_000_000))),
        1 => Just(Some(("250Mbps", 250_000_000))),
        1 => Just(Some(("1Gbps", 1_000_000_000))),
        1 => Just(Some(("10Gbps", 10_000_000_000))),
    ]
}

/// Shares in per mille for `k` populations from raw weights: each at least 1, the
/// last the remainder, so that they sum to exactly 1000.
pub(crate) fn shares(weights: &[u32]) -> Vec<u32> {
    let k = weights.len() as u32;
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut out: Vec<u32> = weights[..weights.len() - 1]
        .iter()
        .map(|w| 1 + w * (1000 - k) / total)
        .collect();
    let used: u32 = out.iter().sum();
    out.push(1000 - used);
    debug_assert!(out.iter().all(|&s| s >= 1) && out.iter().sum::<u32>() == 1000);
    out
}

/// A non-empty subset of 0..n in a random order, from raw picks.
pub(crate) fn subset(n: usize, mask: u32, rotate: usize, must: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).filter(|&i| mask & (1 << i) != 0).collect();
    if v.is_empty() {
        v.push(must % n);
    }
    let len = v.len();
    v.rotate_left(rotate % len);
    v
}

type Raw<T> = BoxedStrategy<T>;

pub(crate) fn arb_regions() -> Raw<Vec<RegionG>> {
    proptest::collection::vec(
        (
            proptest::option::weighted(0.7, 0u64..=5_000),
            proptest::option::weighted(0.5, -100_000i64..=100_000),
            // Kept only when the scenario uses jurisdictions (`ResidencyRaw`).
            proptest::option::weighted(0.8, 0usize..JURISDICTIONS.len()),
        )
            .prop_map(|(commit_us, offset_us, jurisdiction)| RegionG {
                commit_us,
                offset_us,
                jurisdiction,
            }),
        4,
    )
    .boxed()
}

/// A workload without its populations, and the populations as (region raw, weight,
/// count), resolved once the region count is known.
type WorkloadRaw = (WorkloadG, Vec<(usize, u32, u32)>);

pub(crate) fn arb_workload_raw() -> Raw<WorkloadRaw> {
    (
        (
            50u64..=2000,
            any::<bool>(),
            prop_oneof![Just(None), Just(Some("poisson")), Just(Some("constant"))],
            1u32..=5000,
            prop_oneof![
                Just(None),
                Just(Some(None)),
                (1u32..=250).prop_map(|e| Some(Some(f64::from(e) / 100.0)))
            ],
            prop_oneof![
                3 => Just(None),
                1 => Just(Some(("512B", 512))),
                1 => Just(Some(("1KiB", 1024))),
                1 => Just(Some(("4KiB", 4096))),
            ],
        ),
        (
            5u64..=50,
            proptest::option::of(0u64..=5_000),
            proptest::option::weighted(0.1, 1u64..=500),
            proptest::collection::vec((0usize..4, 1u32..=1000, 1u32..=50), 1..=3),
        ),
    )
        .prop_map(
            |(
                (writes_per_sec, rate_as_float, arrival, keys, zipf, write_size),
                (timeout_tenths, access_us, reads_per_sec, clients),
            )| {
                (
                    WorkloadG {
                        writes_per_sec,
                        rate_as_float,
                        arrival,
                        keys,
                        zipf,
                        write_size,
                        request_timeout_us: timeout_tenths * 100 * MS,
                        access_us,
                        clients: Vec::new(),
                        reads_per_sec,
                    },
                    clients,
                )
            },
        )
        .boxed()
}

/// (topology, primary raw, replicas: None or (mask, rotate), mode, acks raw,
/// semi-sync timeout). The mode is the single-primary one; the others pick theirs
/// in `repl_from_raw`.
type ReplRaw = (
    TopoRaw,
    usize,
    Option<(u32, usize)>,
    Option<&'static str>,
    Option<u32>,
    Option<u64>,
);

/// The topology and, for the others than single-primary, their mode: `refused`
/// picks a mode that topology refuses as unsupported (a few cases, to check the
/// refusal), else `mode` picks among the supported ones.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TopoRaw {
    pub(crate) topology: Topo,
    pub(crate) refused: bool,
    pub(crate) mode: u8,
}

pub(crate) fn arb_topo_raw() -> Raw<TopoRaw> {
    (
        prop_oneof![
            7 => Just(Topo::Single),
            1 => Just(Topo::Multi(None)),
            1 => Just(Topo::Multi(Some(None))),
            1 => Just(Topo::Multi(Some(Some("lww")))),
            1 => Just(Topo::Multi(Some(Some("crdt-counter")))),
            1 => Just(Topo::Multi(Some(Some("crdt-set")))),
            5 => Just(Topo::Home),
        ],
        proptest::bool::weighted(0.04),
        0u8..4,
    )
        .prop_map(|(topology, refused, mode)| TopoRaw {
            topology,
            refused,
            mode,
        })
        .boxed()
}

pub(crate) fn arb_repl_raw() -> Raw<ReplRaw> {
    (
        arb_topo_raw(),
        0usize..4,
        proptest::option::weighted(0.4, (0u32..16, 0usize..4)),
        prop_oneof![
            Just(None),
            Just(Some("async")),
            Just(Some("semi-sync")),
            Just(Some("sync"))
        ],
        proptest::option::of(1u32..=3),
        proptest::option::weighted(0.3, 1u64..=30),
    )
        .boxed()
}

/// The replication of `n` regions from its raw picks.
pub(crate) fn repl_from_raw(raw: &ReplRaw, n: usize) -> ReplG {
    let &(topo, p, reps, single_mode, acks, sst) = raw;
    let primary = p % n;
    let (replicas, mode) = match topo.topology {
        Topo::Single => {
            let replicas = reps.map(|(mask, rot)| {
                let others: Vec<usize> = (0..n).filter(|&i| i != primary).collect();
                let picked = subset(others.len(), mask, rot, 0);
                picked.into_iter().map(|i| others[i]).collect::<Vec<_>>()
            });
            (replicas, single_mode)
        }
        Topo::Multi(_) if topo.refused => (
            None,
            [Some("semi-sync"), Some("sync")][usize::from(topo.mode % 2)],
        ),
        Topo::Multi(_) => (None, [None, Some("async")][usize::from(topo.mode % 2)]),
        Topo::Home if topo.refused => (None, Some("semi-sync")),
        Topo::Home => (
            None,
            [None, Some("async"), Some("sync"), Some("sync")][usize::from(topo.mode)],
        ),
    };
    // Receipts come from the replicas (single-primary) or from the regions other
    // than the writing one.
    let peers = match topo.topology {
        Topo::Single => replicas.as_ref().map_or(n - 1, Vec::len),
        _ => n - 1,
    } as u32;
    let acks = match mode {
        Some("semi-sync" | "sync") => acks.map(|a| 1 + (a - 1) % peers),
        _ => None,
    };
    ReplG {
        topology: topo.topology,
        primary,
        replicas,
        mode,
        acks,
        // Only semi-sync takes a timeout (elsewhere it is a contradiction).
        semi_sync_timeout_us: sst.filter(|_| mode == Some("semi-sync")).map(|s| s * S),
    }
}

/// (jurisdictions used, rule count, per rule (start, length, jurisdiction) raw,
/// one rule over the whole key space, reversed file order)
type ResidencyRaw = (bool, usize, Vec<(u32, u32, usize)>, bool, bool);

pub(crate) fn arb_residency_raw() -> Raw<ResidencyRaw> {
    (
        proptest::bool::weighted(0.45),
        0usize..=2,
        proptest::collection::vec((0u32..1000, 0u32..1000, 0usize..3), 2),
        proptest::bool::weighted(0.15),
        any::<bool>(),
    )
        .boxed()
}

/// Rules from raw picks: 0-2 non-overlapping ranges (rule i inside the i-th of
/// `count` equal slices of the key space), each naming a jurisdiction that one of
/// `regions` has. None when no region has a jurisdiction.
pub(crate) fn rules_from_raw(raw: &ResidencyRaw, regions: &[RegionG], keys: u32) -> Vec<RuleG> {
    let (_, count, picks, whole, reversed) = raw;
    let mut present: Vec<usize> = regions.iter().filter_map(|r| r.jurisdiction).collect();
    present.sort_unstable();
    present.dedup();
    if present.is_empty() {
        return Vec::new();
    }
    let c = (*count as u32).min(keys);
    let mut rules: Vec<RuleG> = (0..c)
        .map(|i| {
            let (start_pm, len_pm, j) = picks[i as usize];
            let (slot_lo, slot_hi) = (keys * i / c, keys * (i + 1) / c);
            let (lo, hi) = if *whole && c == 1 {
                (0, keys)
            } else {
                let lo = slot_lo + start_pm * (slot_hi - slot_lo - 1) / 1000;
                (lo, lo + 1 + len_pm * (slot_hi - lo - 1) / 1000)
            };
            RuleG {
                lo,
                hi,
                jurisdiction: present[j % present.len()],
            }
        })
        .collect();
    if *reversed {
        rules.reverse();
    }
    rules
}

pub(crate) fn arb_routing() -> Raw<RoutingG> {
    prop_oneof![
        6 => Just(RoutingG::Default),
        6 => Just(RoutingG::Dns),
        1 => (1u64..=10).prop_map(|s| RoutingG::Anycast(s * S)),
        1 => (
            proptest::option::of((1u32..16, 0usize..4)),
            1u32..=5,
            1u64..=500,
            0u64..=3000,
            prop_oneof![Just("full"), Just("equal"), Just("none")],
        )
            .prop_map(|(endpoints, max_attempts, base_ms, extra_ms, jitter)| RoutingG::Client {
                // Resolved against the region count later (mask, rotate).
                endpoints: endpoints.map(|(m, r)| vec![m as usize, r]),
                max_attempts,
                base_us: base_ms * MS,
                cap_us: (base_ms + extra_ms) * MS,
                jitter,
            }),
    ]
    .boxed()
}

pub(crate) fn arb_failover() -> Raw<FailoverG> {
    (
        (
            arb_routing(),
            0u64..=60,
            proptest::option::of(any::<bool>()),
            prop_oneof![Just(None), Just(Some("discard")), Just(Some("reconcile"))],
        ),
        (
            1u64..=30,
            1u32..=5,
            2u64..=50,
            proptest::option::weighted(0.4, (1u32..16, 0usize..4)),
            proptest::option::of(0u32..=99),
        ),
        (
            0u64..=120,
            proptest::option::of(0u64..=10),
            proptest::option::of(0u32..=200),
            proptest::option::of(0u64..=300),
        ),
    )
        .prop_map(
            |(
                (routing, delay_s, fencing, on_rejoin),
                (interval_s, threshold, timeout_tenths, checkers, share_pc),
                (ttl_s, prop_s, stale_pm, stale_extra_s),
            )| FailoverG {
                routing,
                promotion_delay_us: delay_s * S,
                fencing,
                on_rejoin,
                interval_us: interval_s * S,
                threshold,
                hc_timeout_us: timeout_tenths * 100 * MS,
                // Resolved against the region count later (mask, rotate).
                checkers: checkers.map(|(m, r)| vec![m as usize, r]),
                unhealthy_share_pc: share_pc,
                ttl_us: ttl_s * S,
                propagation_us: prop_s.map(|p| p * S),
                stale_fraction_pm: stale_pm,
                stale_extra_us: stale_extra_s.map(|x| x * S),
            },
        )
        .boxed()
}

/// (kind 0..4, region a (4..8: the primary), region b, side mask, direction, add/offset raw, at per mille,
/// duration in s)
type FaultRaw = (u8, usize, usize, Option<u32>, u8, u64, u32, Option<u64>);

pub(crate) fn arb_fault_raw() -> Raw<FaultRaw> {
    (
        0u8..4,
        // 4..8: the primary (faults that hit the primary exercise failover).
        0usize..8,
        0usize..4,
        proptest::option::weighted(0.3, 0u32..81),
        0u8..3,
        0u64..=2000,
        0u32..1000,
        proptest::option::weighted(0.7, 1u64..=90),
    )
        .boxed()
}

pub(crate) fn fault_from_raw(raw: &FaultRaw, n: usize, primary: usize, duration_us: u64) -> FaultG {
    let &(kind, a, b, side_mask, dir, amount, at_pm, dur_s) = raw;
    let a = if a >= 4 { primary } else { a % n };
    // A second region distinct from a.
    let b = (a + 1 + b % (n - 1)) % n;
    let at_us = duration_us * u64::from(at_pm) / 1000;
    let duration_us = dur_s.map(|d| d * S);
    let kind = match kind {
        0 => FaultKindG::Outage(a),
        1 => {
            // sides: a on side A, b on side B, each other region on A, B or neither
            // by a base-3 digit of the mask.
            let sides = side_mask.map(|mut m| {
                let (mut x, mut y) = (vec![a], vec![b]);
                for r in 0..n {
                    if r == a || r == b {
                        continue;
                    }
                    match m % 3 {
                        0 => x.push(r),
                        1 => y.push(r),
                        _ => {}
                    }
                    m /= 3;
                }
                (x, y)
            });
            let direction = match dir {
                0 => None,
                1 => Some("both"),
                _ => Some("forward"),
            };
            FaultKindG::Partition {
                a,
                b,
                sides,
                direction,
            }
        }
        2 => FaultKindG::Latency {
            a,
            b,
            add_us: (1 + amount) * MS,
        },
        _ => FaultKindG::Skew {
            region: a,
            offset_us: (amount as i64 - 1000) * 500,
        },
    };
    let duration_us = match kind {
        FaultKindG::Skew { .. } => None,
        _ => duration_us,
    };
    FaultG {
        kind,
        at_us,
        duration_us,
    }
}

pub(crate) fn arb_scenario() -> impl Strategy<Value = Sc> {
    (
        (
            2usize..=4,
            any::<bool>(),
            proptest::option::of(0u64..=i64::MAX as u64),
            20u64..=120,
            proptest::option::weighted(0.8, 30u64..=120),
        ),
        arb_regions(),
        proptest::collection::vec((arb_lat(), arb_bandwidth()), 6),
        arb_workload_raw(),
        arb_repl_raw(),
        proptest::option::weighted(0.7, arb_failover()),
        proptest::collection::vec(arb_fault_raw(), 0..=3),
        arb_residency_raw(),
    )
        .prop_map(
            |(
                (n, description, seed, duration_s, drain_s),
                regions,
                lats,
                (mut wl, clients),
                repl_raw,
                failover,
                faults_raw,
                residency_raw,
            )| {
                let duration_us = duration_s * S;
                // Keep each case small: at most MAX_WRITES writes.
                wl.writes_per_sec = wl.writes_per_sec.min(MAX_WRITES / duration_s);
                let weights: Vec<u32> = clients.iter().map(|c| c.1).collect();
                let pms = shares(&weights);
                wl.clients = clients
                    .iter()
                    .zip(pms)
                    .map(|(&(r, _, count), per_mille)| ClientG {
                        region: r % n,
                        per_mille,
                        count,
                    })
                    .collect();
                let mut links = Vec::new();
                let mut k = 0;
                for a in 0..n {
                    for b in a + 1..n {
                        let (lat, bandwidth) = lats[k].clone();
                        k += 1;
                        // Random orientation of the pair.
                        let (a, b) = if k % 2 == 0 { (b, a) } else { (a, b) };
                        links.push(LinkG {
                            a,
                            b,
                            lat,
                            bandwidth,
                        });
                    }
                }
                let repl = repl_from_raw(&repl_raw, n);
                let primary = repl.primary;
                let mut regions = regions[..n].to_vec();
                if !residency_raw.0 {
                    for r in &mut regions {
                        r.jurisdiction = None;
                    }
                }
                let rules = rules_from_raw(&residency_raw, &regions, wl.keys);
                let failover = failover.map(|mut f| {
                    f.checkers = f
                        .checkers
                        .map(|v| subset(n, v[0] as u32, v[1], primary + 1));
                    if let RoutingG::Client { endpoints, .. } = &mut f.routing {
                        *endpoints = endpoints.take().map(|v| subset(n, v[0] as u32, v[1], 0));
                    }
                    f
                });
                let faults = faults_raw
                    .iter()
                    .map(|r| fault_from_raw(r, n, primary, duration_us))
                    .collect();
                Sc {
                    name: format!("prop-{n}r.{duration_s}s"),
                    description,
                    seed,
                    duration_us,
                    drain_us: drain_s.map(|d| d * S),
                    regions,
                    links,
                    wl,
                    repl,
                    failover,
                    faults,
                    rules,
                }
            },
        )
}

/// Single-primary scenarios whose primary is outside the jurisdiction of a rule, where
/// nothing fails over and no request is dropped (no failover section, only latency and
/// clock faults): every write to such a range is one residency violation.
pub(crate) fn arb_outside_primary_scenario() -> impl Strategy<Value = Sc> {
    (arb_scenario(), any::<bool>()).prop_map(|(mut sc, no_jurisdiction)| {
        sc.repl.topology = Topo::Single;
        sc.repl.replicas = None;
        sc.failover = None;
        sc.faults
            .retain(|f| matches!(f.kind, FaultKindG::Latency { .. } | FaultKindG::Skew { .. }));
        let (p, n) = (sc.repl.primary, sc.regions.len());
        // The primary in no jurisdiction or in "US"; another region in "EU".
        sc.regions[p].jurisdiction = if no_jurisdiction { None } else { Some(1) };
        sc.regions[(p + 1) % n].jurisdiction = Some(0);
        for rule in &mut sc.rules {
            if !sc
                .regions
                .iter()
                .any(|g| g.jurisdiction == Some(rule.jurisdiction))
            {
                rule.jurisdiction = 0;
            }
        }
        match sc.rules.first_mut() {
            Some(rule) => rule.jurisdiction = 0,
            None => sc.rules.push(RuleG {
                lo: 0,
                hi: sc.wl.keys.div_ceil(2),
                jurisdiction: 0,
            }),
        }
        sc
    })
}

/// Scenarios biased towards the convergence precondition: every fault heals early,
/// bandwidth is unlimited or generous, the drain is long; health checks and promotion
/// are fast, so that many runs fail over and the old primary rejoins.
pub(crate) fn arb_healing_scenario() -> impl Strategy<Value = Sc> {
    arb_scenario().prop_map(|mut sc| {
        sc.drain_us = Some(sc.drain().max(90 * S));
        for l in &mut sc.links {
            if l.bandwidth.is_some_and(|(_, bps)| bps < 1_000_000_000) {
                l.bandwidth = None;
            }
        }
        if let Some(f) = &mut sc.failover {
            // Fast detection and promotion, so that failovers (and rejoins) happen.
            f.interval_us = f.interval_us.min(5 * S);
            f.threshold = f.threshold.min(3);
            f.hc_timeout_us = f.hc_timeout_us.min(2 * S);
            f.promotion_delay_us = f.promotion_delay_us.min(15 * S);
        }
        let d = sc.duration_us;
        for f in &mut sc.faults {
            if !matches!(f.kind, FaultKindG::Skew { .. }) {
                // Heal within the duration: at most 60% of it, ending by 80% of it.
                let len = f.duration_us.unwrap_or(d / 2).min(d * 6 / 10).max(S);
                f.at_us = f.at_us.min(d * 8 / 10 - len);
                f.duration_us = Some(len);
            }
        }
        sc
    })
}
