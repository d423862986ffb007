//! Validation of `[workload]` and its client populations, with the run-size bounds.

use super::dto::{ClientDto, WorkloadDto};
use super::types::{Arrival, ClientPopulation, KeyDist, Workload};
use super::validate::{err, Names, Res, US_PER_MS, US_PER_S};

const MAX_KEYS: u64 = 50_000_000;
const MAX_CLIENTS: u64 = 5_000_000;
/// Also keeps every write id below 2^32, with room for any Poisson count:
/// single-primary replicas store ids in 4 bytes (`model::topology::single::log`).
pub(crate) const MAX_EXPECTED_REQUESTS: f64 = 2_000_000_000.0;
const _: () = assert!(MAX_EXPECTED_REQUESTS < 4.0e9);
const MAX_WRITE_SIZE: u64 = 1 << 30;

fn clients(dtos: &[ClientDto], names: &Names) -> Res<Vec<ClientPopulation>> {
    if dtos.is_empty() {
        return Err(err(
            "workload.clients",
            "at least one client population is needed: [[workload.clients]] region = \"...\", share = 1.0",
        ));
    }
    let mut out = Vec::with_capacity(dtos.len());
    let mut total_count: u64 = 0;
    let mut total_share = 0.0;
    for (i, c) in dtos.iter().enumerate() {
        let region = names.resolve(&c.region, format!("workload.clients[{i}].region"))?;
        let share = c.share.0;
        if !(share > 0.0 && share <= 1.0) {
            return Err(err(
                format!("workload.clients[{i}].share"),
                format!("share must be greater than 0 and at most 1; got {share}"),
            ));
        }
        let count = c.count.map_or(1, |n| n.0);
        if count == 0 {
            return Err(err(
                format!("workload.clients[{i}].count"),
                "count must be at least 1",
            ));
        }
        total_count = total_count.saturating_add(count);
        if total_count > MAX_CLIENTS {
            return Err(err(
                format!("workload.clients[{i}].count"),
                format!("the total client count exceeds {MAX_CLIENTS}"),
            ));
        }
        total_share += share;
        out.push(ClientPopulation {
            region,
            share,
            // total_count <= MAX_CLIENTS < u32::MAX, so this cannot truncate.
            count: count as u32,
        });
    }
    if (total_share - 1.0).abs() > 1e-6 {
        return Err(err(
            "workload.clients",
            format!("the shares must sum to 1; they sum to {total_share}"),
        ));
    }
    Ok(out)
}

pub(crate) fn workload(w: &WorkloadDto, names: &Names, duration_us: u64) -> Res<Workload> {
    let writes = w.writes_per_sec.0;
    if writes <= 0.0 {
        return Err(err(
            "workload.writes_per_sec",
            format!("must be greater than 0, such as 1000; got {writes}"),
        ));
    }
    let reads = w.reads_per_sec.map_or(0.0, |r| r.0);
    if reads < 0.0 {
        return Err(err(
            "workload.reads_per_sec",
            format!("must be 0 or more; got {reads}"),
        ));
    }
    let seconds = duration_us as f64 / US_PER_S as f64;
    let expected = (writes + reads) * seconds;
    if expected > MAX_EXPECTED_REQUESTS {
        return Err(err(
            "workload.writes_per_sec",
            format!(
                "(writes_per_sec + reads_per_sec) × duration = {expected:.0} expected requests; at most {MAX_EXPECTED_REQUESTS:.0} are supported (lower the rate or the duration)"
            ),
        ));
    }
    let keys = w.keys.map_or(100_000, |k| k.0);
    if keys == 0 || keys > MAX_KEYS {
        return Err(err(
            "workload.keys",
            format!("keys must be between 1 and {MAX_KEYS}; got {keys}"),
        ));
    }
    let write_size_bytes = w.write_size.map_or(1024, |s| s.0);
    if write_size_bytes > MAX_WRITE_SIZE {
        return Err(err(
            "workload.write_size",
            "write_size must be at most \"1GiB\"",
        ));
    }
    let request_timeout_us = w.request_timeout.as_ref().map_or(2 * US_PER_S, |d| d.us);
    if request_timeout_us == 0 {
        return Err(err(
            "workload.request_timeout",
            "request_timeout must be greater than 0, such as \"2s\"",
        ));
    }
    let slow_request_us = w.slow_request.as_ref().map(|d| d.us);
    if let Some(slow) = slow_request_us {
        if slow == 0 || slow > request_timeout_us {
            return Err(err(
                "workload.slow_request",
                format!(
                    "slow_request must be greater than 0 and at most request_timeout ({}), such as \"250ms\"",
                    crate::engine::time::fmt_duration(request_timeout_us)
                ),
            ));
        }
    }
    Ok(Workload {
        writes_per_sec: writes,
        reads_per_sec: reads,
        arrival: w.arrival.map_or(Arrival::Poisson, |a| a.0),
        // keys <= MAX_KEYS < u32::MAX.
        keys: keys as u32,
        key_distribution: w.key_distribution.map_or(KeyDist::Uniform, |k| k.0),
        write_size_bytes,
        request_timeout_us,
        slow_request_us,
        client_access_latency_us: w
            .client_access_latency
            .as_ref()
            .map_or(2 * US_PER_MS, |d| d.us),
        clients: clients(&w.clients, names)?,
    })
}
