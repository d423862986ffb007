//! The JSON Schema (draft 2020-12) of the scenario format, for editors (Taplo,
//! Even Better TOML, VS Code). It describes every field of the DTOs in
//! `dto.rs`; a test keeps the two in step. The schema checks shapes, units
//! and keywords; cross-field rules (known region names, shares summing to 1)
//! stay with `regionsim validate`.

use crate::metrics::catalogue::Unit;
use serde_json::{json, Value};

const DURATION: &str = r"^\s*([0-9]+(\.[0-9]+)?(d|h|ms|m|s|us|µs|μs))+\s*$";
const SIGNED: &str = r"^\s*[+-]?([0-9]+(\.[0-9]+)?(d|h|ms|m|s|us|µs|μs))+\s*$";
const SIZE: &str = r"^\s*[0-9]+(\.[0-9]+)?(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$";
const BANDWIDTH: &str = r"^\s*[0-9]+(\.[0-9]+)?(bps|kbps|Kbps|Mbps|Gbps|Tbps)\s*$";
const KEY_RANGE: &str = r"^\s*[0-9]+\s*\.\.\s*[0-9]+\s*$";

fn r(def: &str, description: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{def}"), "description": description })
}

fn keywords(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

fn names(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

fn object(required: &[&str], properties: Value, description: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "required": required,
        "additionalProperties": false,
        "properties": properties,
    })
}

/// The schema as a JSON value.
pub fn scenario_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "regionsim scenario",
        "description": "A multi-region system, its workload and routing, the faults that hit it and the budgets CI holds it to. TOML or JSON, field for field.",
        "type": "object",
        "required": ["name", "duration", "regions", "workload", "replication"],
        "additionalProperties": false,
        "properties": top_level(),
        "$defs": defs(),
    })
}

fn top_level() -> Value {
    json!({
        "name": { "type": "string", "pattern": r"^[A-Za-z0-9._-]+$", "description": "Used for report folder names: letters, digits, '-', '_', '.' only." },
        "description": { "type": "string" },
        "seed": { "$ref": "#/$defs/count", "description": "Default 0; the run is a pure function of (file, seed)." },
        "duration": r("duration", "Simulated time, such as \"30m\"."),
        "drain": r("duration", "Extra time after `duration` with no new writes, so replication can settle (default \"1m\")."),
        "regions": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/region" } },
        "links": { "type": "array", "items": { "$ref": "#/$defs/link" }, "description": "One per pair of regions that exchange traffic; symmetric." },
        "workload": { "$ref": "#/$defs/workload" },
        "replication": { "$ref": "#/$defs/replication" },
        "conflicts": object(&[], json!({
            "resolution": keywords(&["lww", "crdt-counter", "crdt-set"], "Multi-primary conflict resolution."),
        }), "Multi-primary only."),
        "failover": { "$ref": "#/$defs/failover" },
        "faults": { "type": "array", "items": { "$ref": "#/$defs/fault" } },
        "residency": { "type": "array", "items": object(&["keys", "jurisdiction"], json!({
            "keys": { "type": "string", "pattern": KEY_RANGE, "description": "Key range LO..HI, HI exclusive, such as \"0..50000\"." },
            "jurisdiction": { "type": "string" },
        }), "A key range pinned to a jurisdiction.") },
        "cost": object(&["transfer_per_gb"], json!({
            "transfer_per_gb": { "type": "number", "minimum": 0, "description": "Money per GB (1e9 bytes) sent between regions." },
        }), "Prices for the report."),
        "budgets": { "$ref": "#/$defs/budgets" },
    })
}

fn defs() -> Value {
    json!({
        "duration": { "type": "string", "pattern": DURATION, "description": "A duration: \"250us\", \"40ms\", \"1.5s\", \"10m\", \"1h\", \"1m30s\" (largest unit first)." },
        "signed_duration": { "type": "string", "pattern": SIGNED, "description": "A signed duration: \"+150ms\", \"-5ms\", \"0ms\"." },
        "size": { "type": "string", "pattern": SIZE, "description": "A size: \"512B\", \"1KiB\", \"4MiB\", \"1MB\" (KB/MB/GB decimal, KiB/MiB/GiB binary)." },
        "bandwidth": { "type": "string", "pattern": BANDWIDTH, "description": "A bandwidth: \"100Mbps\", \"1Gbps\" (decimal: 1 Mbps = 1,000,000 bits/s)." },
        "count": { "type": "integer", "minimum": 0 },
        "share": { "type": "number", "minimum": 0, "maximum": 1 },
        "latency": {
            "description": "A constant duration, or a distribution table.",
            "oneOf": [
                { "$ref": "#/$defs/duration" },
                object(&["dist", "mean", "stddev"], json!({ "dist": { "const": "normal" }, "mean": { "$ref": "#/$defs/duration" }, "stddev": { "$ref": "#/$defs/duration" } }), "Normal, clamped at 0."),
                object(&["dist", "median", "p99"], json!({ "dist": { "const": "lognormal" }, "median": { "$ref": "#/$defs/duration" }, "p99": { "$ref": "#/$defs/duration" } }), "Log-normal by median and p99."),
                object(&["dist", "min", "max"], json!({ "dist": { "const": "uniform" }, "min": { "$ref": "#/$defs/duration" }, "max": { "$ref": "#/$defs/duration" } }), "Uniform in [min, max]."),
            ],
        },
        "region": object(&["name"], json!({
            "name": { "type": "string" },
            "commit_latency": r("duration", "Local durable commit of a write (default \"1ms\")."),
            "clock_offset": r("signed_duration", "This region's wall clock minus true time."),
            "jurisdiction": { "type": "string", "description": "See residency." },
        }), "A region."),
        "link": object(&["between", "latency"], json!({
            "between": { "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2 },
            "latency": r("latency", "One-way latency, sampled per message."),
            "bandwidth": r("bandwidth", "Optional; absent = unlimited."),
        }), "A link between two regions."),
        "workload": workload(),
        "replication": object(&[], json!({
            "topology": keywords(&["single-primary", "multi-primary", "home-region"], "Default single-primary."),
            "primary": { "type": "string", "description": "single-primary only." },
            "replicas": names("Default: every other region."),
            "mode": keywords(&["async", "semi-sync", "sync"], "Default async."),
            "acks": { "$ref": "#/$defs/count", "description": "semi-sync/sync: replica receipts needed before the client's ack." },
            "semi_sync_timeout": r("duration", "semi-sync: waiting longer falls back to async."),
        }), "How writes are replicated."),
        "failover": failover(),
        "fault": fault(),
        "budgets": budgets(),
    })
}

fn workload() -> Value {
    object(
        &["writes_per_sec", "clients"],
        json!({
            "writes_per_sec": { "type": "number", "minimum": 0, "description": "Total across all clients." },
            "reads_per_sec": { "type": "number", "minimum": 0 },
            "arrival": keywords(&["poisson", "constant"], "Default poisson."),
            "keys": { "$ref": "#/$defs/count" },
            "key_distribution": { "oneOf": [
                { "const": "uniform" },
                object(&["zipf"], json!({ "zipf": { "type": "number", "exclusiveMinimum": 0, "maximum": 100 } }), "Zipf with this exponent."),
            ] },
            "write_size": r("size", "Bytes per write, on the wire too."),
            "request_timeout": r("duration", "A client gives up on a request after this."),
            "slow_request": r("duration", "Optional: a success slower than this is impaired (counts for the RTO); at most request_timeout."),
            "client_access_latency": r("duration", "One-way, client to the region it is located in."),
            "clients": { "type": "array", "minItems": 1, "items": object(&["region", "share"], json!({
                "region": { "type": "string", "description": "Where these clients are located." },
                "share": { "$ref": "#/$defs/share", "description": "Share of the total request rate; shares sum to 1." },
                "count": { "$ref": "#/$defs/count", "description": "Distinct clients (each with its own DNS cache, retries, RTO)." },
            }), "A client population.") },
        }),
        "The request load.",
    )
}

fn failover() -> Value {
    object(
        &[],
        json!({
            "routing": keywords(&["dns", "anycast", "client"], "How clients find a working region."),
            "promotion": keywords(&["automatic", "manual"], "single-primary."),
            "promotion_delay": r("duration", "From the decision until the new primary takes writes."),
            "fencing": { "type": "boolean" },
            "on_rejoin": keywords(&["discard", "reconcile"], "What a failed primary that comes back does with its unreplicated writes."),
            "health_check": object(&[], json!({
                "interval": r("duration", "From one check's answer (or timeout) to the next."),
                "failure_threshold": { "$ref": "#/$defs/count" },
                "timeout": r("duration", "A check of a region that does not answer fails after this."),
                "checkers": names("Regions the checks run from; default every other region."),
                "unhealthy_share": { "$ref": "#/$defs/share" },
            }), "Used by dns and automatic promotion."),
            "dns": object(&[], json!({
                "ttl": r("duration", "How long clients cache an answer."),
                "propagation": r("duration", "From the health decision until resolvers answer anew."),
                "stale_fraction": { "$ref": "#/$defs/share", "description": "Share of clients whose resolvers ignore the TTL." },
                "stale_extra": r("duration", "How much longer those clients keep the old answer."),
            }), "DNS failover."),
            "anycast": object(&[], json!({ "convergence": r("latency", "Time to reach the next-nearest region.") }), "Anycast routing."),
            "client": object(&[], json!({
                "endpoints": names("Order of preference; default nearest first."),
                "max_attempts": { "$ref": "#/$defs/count" },
                "backoff": object(&[], json!({
                    "base": { "$ref": "#/$defs/duration" },
                    "cap": { "$ref": "#/$defs/duration" },
                    "jitter": keywords(&["full", "equal", "none"], "Retry jitter."),
                }), "Backoff between attempts."),
            }), "Client-side failover."),
        }),
        "Routing and failover; without it nothing fails over.",
    )
}

/// A fault entry; which fields apply depends on `kind` (as `validate` checks).
fn fault() -> Value {
    let only = |required: &[&str], banned: &[&str]| {
        let mut props = serde_json::Map::new();
        for b in banned {
            props.insert((*b).to_string(), Value::Bool(false));
        }
        json!({ "required": required, "properties": props })
    };
    let kind = |k: &str, then: Value| json!({ "if": { "properties": { "kind": { "const": k } } }, "then": then });
    let mut f = object(
        &["kind", "at"],
        json!({
            "kind": keywords(&["region-outage", "partition", "latency", "clock-skew"], "What goes wrong."),
            "at": r("duration", "When it starts."),
            "duration": r("duration", "Optional; absent = never recovers."),
            "region": { "type": "string" },
            "between": { "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2 },
            "sides": { "type": "array", "items": names("One side of the partition."), "minItems": 2, "maxItems": 2 },
            "direction": keywords(&["both", "forward"], "partition: forward = first to second only."),
            "add": r("duration", "latency: extra one-way latency."),
            "offset": r("signed_duration", "clock-skew: the region's new clock offset."),
        }),
        "A fault.",
    );
    f["allOf"] = json!([
        kind(
            "region-outage",
            only(
                &["region"],
                &["between", "sides", "direction", "add", "offset"]
            )
        ),
        kind(
            "partition",
            json!({ "oneOf": [{ "required": ["between"] }, { "required": ["sides"] }], "properties": { "region": false, "add": false, "offset": false } })
        ),
        kind(
            "latency",
            only(
                &["between", "add"],
                &["region", "sides", "direction", "offset"]
            )
        ),
        kind(
            "clock-skew",
            only(
                &["region", "offset"],
                &["between", "sides", "direction", "add", "duration"]
            )
        ),
    ]);
    f
}

/// `[budgets]`: one property per budgetable metric of the catalogue.
fn budgets() -> Value {
    let properties = crate::metrics::catalogue::budgetable()
        .map(|m| {
            let def = match m.unit {
                Unit::Us => "duration",
                Unit::Share => "share",
                Unit::Count | Unit::Bytes => "count",
            };
            (m.name.to_string(), r(def, m.budget.unwrap_or_default()))
        })
        .collect::<serde_json::Map<String, Value>>();
    object(
        &[],
        Value::Object(properties),
        "Every key optional; each is a ceiling except availability, a floor.",
    )
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
