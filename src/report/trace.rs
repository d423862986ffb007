//! The Chrome trace-event JSON of a run (`run --trace FILE`), for Perfetto or
//! chrome://tracing: one track per region and one per client region, with the
//! fault windows and failing-request spans as slices and the timeline entries
//! (health decisions, promotions, DNS and routing changes) as instants, and
//! counter tracks: replication lag per replica (ms, the worst lag applied in
//! each second, or while nothing arrives the time since the oldest write not
//! yet applied, 0 when caught up) and success rate per client region (%).

use super::timeline;
use crate::metrics::{Kind, RunResult};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

const REGIONS_PID: u32 = 1;
const CLIENTS_PID: u32 = 2;

/// One trace event. Timestamps and durations are microseconds of simulated time.
#[derive(Serialize)]
struct Event {
    name: String,
    ph: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    cat: &'static str,
    ts: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<u64>,
    pid: u32,
    tid: u32,
    /// Scope of an instant: "t" (its thread) or "p" (the whole process).
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    args: BTreeMap<&'static str, Value>,
}

impl Event {
    fn new(name: String, ph: &'static str, cat: &'static str, ts: u64, pid: u32, tid: u32) -> Self {
        Event {
            name,
            ph,
            cat,
            ts,
            dur: None,
            pid,
            tid,
            s: None,
            args: BTreeMap::new(),
        }
    }

    fn meta(
        kind: &'static str,
        pid: u32,
        tid: u32,
        arg: &'static str,
        value: impl Into<Value>,
    ) -> Self {
        let mut e = Event::new(kind.to_string(), "M", "", 0, pid, tid);
        e.args.insert(arg, value.into());
        e
    }
}

/// The trace as JSON text, one event per line (deterministic bytes).
pub fn trace_json(result: &RunResult) -> String {
    let r = &result.report;
    let s = &result.series;
    let end = r.duration_us.saturating_add(r.drain_us);
    let title = format!("{} (seed {})", r.scenario, r.seed);
    let mut ev = vec![
        Event::meta(
            "process_name",
            REGIONS_PID,
            0,
            "name",
            format!("{title}: regions"),
        ),
        Event::meta("process_sort_index", REGIONS_PID, 0, "sort_index", 1),
        Event::meta(
            "process_name",
            CLIENTS_PID,
            0,
            "name",
            format!("{title}: clients"),
        ),
        Event::meta("process_sort_index", CLIENTS_PID, 0, "sort_index", 2),
    ];
    // Region tracks: tid = 1 + index; lanes for overlapping faults follow.
    let mut lanes: Vec<(String, u32, Vec<u64>)> = Vec::new();
    for (i, region) in s.regions.iter().enumerate() {
        lanes.push((region.clone(), i as u32 + 1, vec![0]));
    }
    let client_tid = |name: &str| {
        s.requests
            .keys()
            .position(|k| k == name)
            .map(|i| i as u32 + 1)
    };
    for (i, region) in s.requests.keys().enumerate() {
        let tid = i as u32 + 1;
        ev.push(Event::meta(
            "thread_name",
            CLIENTS_PID,
            tid,
            "name",
            format!("clients in {region}"),
        ));
        ev.push(Event::meta(
            "thread_sort_index",
            CLIENTS_PID,
            tid,
            "sort_index",
            tid,
        ));
    }
    let mut body = Vec::new();
    for (start, stop, label) in &s.fault_windows {
        let what = fault_text(result, *start, label);
        for region in fault_regions(result, *start, label) {
            let tid = lane_for(&mut lanes, &region, *start, *stop);
            let mut e = Event::new(what.clone(), "X", "fault", *start, REGIONS_PID, tid);
            e.dur = Some(stop.saturating_sub(*start));
            body.push(e);
        }
    }
    for t in &s.timeline {
        let on_client = t.kind == Kind::Routing;
        let track = t.region.as_deref().and_then(|name| {
            if on_client {
                client_tid(name).map(|tid| (CLIENTS_PID, tid))
            } else {
                s.regions
                    .iter()
                    .position(|r| r == name)
                    .map(|i| (REGIONS_PID, i as u32 + 1))
            }
        });
        let (pid, tid, scope) = match track {
            Some((pid, tid)) => (pid, tid, "t"),
            None => (REGIONS_PID, 1, "p"),
        };
        let what = timeline::text(&t.event);
        let mut e = Event::new(what, "i", kind_cat(t.kind), t.at_us, pid, tid);
        e.s = Some(scope);
        body.push(e);
    }
    for (region, per_sec) in &s.requests {
        let tid = client_tid(region).unwrap_or(0);
        body.extend(failing_spans(per_sec, tid));
    }
    body.extend(counters(result));
    for (name, tid, _) in &lanes {
        let label = if *tid as usize <= s.regions.len() {
            name.clone()
        } else {
            format!("{name} (overlapping faults)")
        };
        ev.push(Event::meta("thread_name", REGIONS_PID, *tid, "name", label));
        ev.push(Event::meta(
            "thread_sort_index",
            REGIONS_PID,
            *tid,
            "sort_index",
            *tid,
        ));
        let mut run = Event::new("simulated run".into(), "X", "run", 0, REGIONS_PID, *tid);
        run.dur = Some(end);
        run.args.insert("duration_us", r.duration_us.into());
        run.args.insert("drain_us", r.drain_us.into());
        ev.push(run);
    }
    // Stable order: by time, longer slices first so that they enclose shorter ones.
    body.sort_by_key(|e| (e.ts, std::cmp::Reverse(e.dur.unwrap_or(0))));
    ev.extend(body);
    let lines: Vec<String> = ev
        .iter()
        .map(|e| serde_json::to_string(e).unwrap_or_else(|_| "{}".to_string()))
        .collect();
    format!(
        "{{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n{}\n]}}\n",
        lines.join(",\n")
    )
}

/// The track (tid) for a fault window on `region`: its own track unless an
/// earlier fault there overlaps, then the first extra lane that is free.
fn lane_for(lanes: &mut Vec<(String, u32, Vec<u64>)>, region: &str, start: u64, stop: u64) -> u32 {
    let free = lanes
        .iter_mut()
        .find(|(name, _, ends)| name == region && ends.last().is_some_and(|&e| e <= start));
    if let Some((_, tid, ends)) = free {
        ends.push(stop);
        return *tid;
    }
    let tid = lanes.iter().map(|l| l.1).max().unwrap_or(0) + 1;
    lanes.push((region.to_string(), tid, vec![stop]));
    tid
}

/// Spans of consecutive seconds in which some request of the client region failed.
fn failing_spans(per_sec: &[(u64, u64)], tid: u32) -> Vec<Event> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < per_sec.len() {
        if per_sec[i].0 >= per_sec[i].1 {
            i += 1;
            continue;
        }
        let from = i;
        let (mut ok, mut all) = (0, 0);
        while i < per_sec.len() && per_sec[i].0 < per_sec[i].1 {
            ok += per_sec[i].0;
            all += per_sec[i].1;
            i += 1;
        }
        let mut e = Event::new(
            "requests failing".into(),
            "X",
            "availability",
            from as u64 * 1_000_000,
            CLIENTS_PID,
            tid,
        );
        e.dur = Some((i - from) as u64 * 1_000_000);
        e.args.insert("succeeded", ok.into());
        e.args.insert("attempted", all.into());
        out.push(e);
    }
    out
}

/// The fault's text: the timeline's `fault` entry at its start, else its label.
fn fault_text(result: &RunResult, start: u64, label: &str) -> String {
    result
        .report
        .incidents
        .iter()
        .find(|i| i.start_us == start)
        .map(|i| i.cause.clone())
        .or_else(|| {
            let entry = result
                .series
                .timeline
                .iter()
                .find(|e| e.kind == Kind::Fault && e.at_us == start);
            entry.map(|e| timeline::text(&e.event))
        })
        .unwrap_or_else(|| label.to_string())
}

/// The regions a fault window concerns: those its text names, else the region
/// of its timeline entry, else every region.
fn fault_regions(result: &RunResult, start: u64, label: &str) -> Vec<String> {
    let s = &result.series;
    let text = format!("{} {}", label, fault_text(result, start, label));
    let named: Vec<String> = s
        .regions
        .iter()
        .filter(|r| {
            text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '[' | ']' | '"'))
                .any(|w| w == r.as_str())
        })
        .cloned()
        .collect();
    if !named.is_empty() {
        return named;
    }
    let entry = s
        .timeline
        .iter()
        .find(|e| e.kind == Kind::Fault && e.at_us == start);
    match entry.and_then(|e| e.region.clone()) {
        Some(region) => vec![region],
        None => s.regions.clone(),
    }
}

/// Counter events (`ph: "C"`), one per second in which the value changes:
/// `replication lag <replica>` on the regions process (arg `ms`) and
/// `success rate, clients in <region>` on the clients process (arg `%`).
fn counters(result: &RunResult) -> Vec<Event> {
    let s = &result.series;
    let mut out = Vec::new();
    let mut series = |name: String, pid: u32, unit: &'static str, values: Vec<Option<f64>>| {
        let mut last: Option<f64> = None;
        for (sec, v) in values.into_iter().enumerate() {
            let Some(v) = v else { continue };
            if last == Some(v) {
                continue;
            }
            last = Some(v);
            let mut e = Event::new(name.clone(), "C", "counter", sec as u64 * 1_000_000, pid, 0);
            e.args.insert(unit, Value::from(v));
            out.push(e);
        }
    };
    for (replica, applied) in &s.lag_max_us {
        let waiting = super::backlog::backlog_age_us(s, replica);
        let values = (0..s.seconds as usize)
            .map(|sec| {
                let lag = applied.get(sec).copied().unwrap_or(0);
                let lag = if lag > 0 {
                    lag
                } else {
                    waiting.get(sec).copied().flatten().unwrap_or(0)
                };
                Some(lag as f64 / 1000.0)
            })
            .collect();
        series(
            format!("replication lag {replica}"),
            REGIONS_PID,
            "ms",
            values,
        );
    }
    for (region, per_sec) in &s.requests {
        let values = per_sec
            .iter()
            .map(|&(ok, all)| {
                (all > 0).then(|| (10_000.0 * ok as f64 / all as f64).round() / 100.0)
            })
            .collect();
        series(
            format!("success rate, clients in {region}"),
            CLIENTS_PID,
            "%",
            values,
        );
    }
    out
}

/// The trace category of a timeline kind.
fn kind_cat(kind: Kind) -> &'static str {
    match kind {
        Kind::Recovery => Kind::Fault.as_str(),
        k => k.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    fn parsed(r: &RunResult) -> serde_json::Value {
        serde_json::from_str(&trace_json(r)).expect("valid JSON")
    }

    #[test]
    fn tracks_and_events() {
        let mut r = sample();
        r.series.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        r.series
            .requests
            .insert("us-east-1".into(), vec![(5, 5), (1, 5), (0, 5), (5, 5)]);
        r.series.fault_windows = vec![(600_000_000, 1_800_000_000, "x".into())];
        r.series.timeline = r.report.incidents[0].timeline.clone();
        let v = parsed(&r);
        let ev = v["traceEvents"].as_array().unwrap();
        let names: Vec<&str> = ev
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["clients in us-east-1", "us-east-1", "eu-west-1"]);
        let fault = ev.iter().find(|e| e["cat"] == "fault").unwrap();
        assert_eq!(fault["dur"], 1_200_000_000u64);
        assert_eq!(fault["name"], "region-outage us-east-1");
        assert_eq!(fault["tid"], 1);
        let failing = ev.iter().find(|e| e["name"] == "requests failing").unwrap();
        assert_eq!(
            (failing["ts"].as_u64(), failing["dur"].as_u64()),
            (Some(1_000_000), Some(2_000_000))
        );
        assert_eq!(failing["args"]["succeeded"], 1);
        let promo = ev.iter().find(|e| e["cat"] == "promotion").unwrap();
        assert_eq!(
            (promo["ph"].as_str(), promo["tid"].as_u64()),
            (Some("i"), Some(2))
        );
        assert_eq!(trace_json(&r), trace_json(&r));
    }

    #[test]
    fn counter_tracks_for_lag_and_success_rate() {
        let mut r = sample();
        r.series.seconds = 6;
        r.series.requests.insert(
            "us-east-1".into(),
            vec![(5, 5), (1, 5), (1, 5), (0, 0), (5, 5)],
        );
        r.series
            .lag_max_us
            .insert("eu-west-1".into(), vec![38_000, 0, 0, 0, 0, 39_500]);
        r.series
            .writes_served
            .insert("us-east-1".into(), vec![5; 6]);
        let v = parsed(&r);
        let counters: Vec<(String, u64, u64, f64)> = v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["ph"] == "C")
            .map(|e| {
                let args = e["args"].as_object().unwrap();
                assert_eq!(args.len(), 1, "one value per counter event: {e}");
                let (_, value) = args.iter().next().unwrap();
                (
                    e["name"].as_str().unwrap().to_string(),
                    e["pid"].as_u64().unwrap(),
                    e["ts"].as_u64().unwrap(),
                    value.as_f64().unwrap(),
                )
            })
            .collect();
        let of = |name: &str| -> Vec<(u64, f64)> {
            counters
                .iter()
                .filter(|c| c.0 == name)
                .map(|c| (c.2, c.3))
                .collect()
        };
        // Lag: applied, then growing while nothing arrives, then applied again.
        assert_eq!(
            of("replication lag eu-west-1"),
            [
                (0, 38.0),
                (1_000_000, 500.0),
                (2_000_000, 1500.0),
                (3_000_000, 2500.0),
                (4_000_000, 3500.0),
                (5_000_000, 39.5)
            ]
        );
        assert!(counters
            .iter()
            .filter(|c| c.0.starts_with("replication"))
            .all(|c| c.1 == 1));
        // Success rate: only on change, none for a second without requests.
        assert_eq!(
            of("success rate, clients in us-east-1"),
            [(0, 100.0), (1_000_000, 20.0), (4_000_000, 100.0)]
        );
        assert!(counters
            .iter()
            .filter(|c| c.0.starts_with("success"))
            .all(|c| c.1 == 2));
    }

    #[test]
    fn overlapping_faults_get_a_lane() {
        let mut r = sample();
        r.series.regions = vec!["a".into()];
        r.report.incidents.clear();
        r.series.fault_windows = vec![(0, 10, "a down".into()), (5, 20, "a slow".into())];
        let v = parsed(&r);
        let tids: Vec<u64> = v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["cat"] == "fault")
            .map(|e| e["tid"].as_u64().unwrap())
            .collect();
        assert_eq!(tids, [1, 2]);
    }
}
