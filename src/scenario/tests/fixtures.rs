//! The full single-primary example, in TOML and in JSON (written by hand, field for field).

pub(super) const FULL_TOML: &str = r#"
name = "ap-async-dns"
description = "Active-passive, async replication, DNS failover"
seed = 42
duration = "30m"
drain = "2m"

[[regions]]
name = "us-east-1"
commit_latency = "1ms"
clock_offset = "0ms"
jurisdiction = "US"

[[regions]]
name = "eu-west-1"
commit_latency = "1.5ms"
clock_offset = "-5ms"
jurisdiction = "EU"

[[regions]]
name = "us-west-2"
clock_offset = "+2ms"

[[links]]
between = ["us-east-1", "eu-west-1"]
latency = "38ms"
bandwidth = "1Gbps"

[[links]]
between = ["us-east-1", "us-west-2"]
latency = { dist = "normal", mean = "30ms", stddev = "2ms" }

[[links]]
between = ["eu-west-1", "us-west-2"]
latency = { dist = "lognormal", median = "70ms", p99 = "120ms" }
bandwidth = "500Mbps"

[workload]
writes_per_sec = 1000
reads_per_sec = 0
arrival = "constant"
keys = 50000
key_distribution = { zipf = 1.1 }
write_size = "4KiB"
request_timeout = "3s"
client_access_latency = "1ms"

[[workload.clients]]
region = "us-east-1"
share = 0.7
count = 700

[[workload.clients]]
region = "eu-west-1"
share = 0.3
count = 300

[replication]
topology = "single-primary"
primary = "us-east-1"
replicas = ["us-west-2", "eu-west-1"]
mode = "semi-sync"
semi_sync_timeout = "5s"

[failover]
routing = "dns"
promotion = "automatic"
promotion_delay = "20s"
fencing = false
on_rejoin = "discard"

[failover.health_check]
interval = "10s"
failure_threshold = 3
timeout = "2s"
checkers = ["us-west-2", "eu-west-1"]
unhealthy_share = 0.5

[failover.dns]
ttl = "60s"
propagation = "5s"
stale_fraction = 0.03
stale_extra = "10m"

[[faults]]
kind = "region-outage"
region = "us-east-1"
at = "10m"
duration = "20m"

[[faults]]
kind = "partition"
between = ["us-east-1", "eu-west-1"]
at = "5m"
duration = "2m"
direction = "forward"

[[faults]]
kind = "partition"
sides = [["us-east-1"], ["eu-west-1", "us-west-2"]]
at = "1m30s"

[[faults]]
kind = "latency"
between = ["eu-west-1", "us-east-1"]
at = "3m"
duration = "1m"
add = "400ms"

[[faults]]
kind = "clock-skew"
region = "eu-west-1"
at = "0s"
offset = "+150ms"

[cost]
transfer_per_gb = 0.02

[budgets]
write_latency_p99 = "250ms"
rpo = "1s"
rto = "2m"
rto_p50 = "1m"
rto_p99 = "1m30s"
lost_writes = 0
write_latency_p50 = "5ms"
availability = 0.999
divergent_keys = 0
"#;

pub(super) const FULL_JSON: &str = r#"{
  "name": "ap-async-dns",
  "description": "Active-passive, async replication, DNS failover",
  "seed": 42,
  "duration": "30m",
  "drain": "2m",
  "regions": [
    { "name": "us-east-1", "commit_latency": "1ms", "clock_offset": "0ms", "jurisdiction": "US" },
    { "name": "eu-west-1", "commit_latency": "1.5ms", "clock_offset": "-5ms", "jurisdiction": "EU" },
    { "name": "us-west-2", "clock_offset": "+2ms" }
  ],
  "links": [
    { "between": ["us-east-1", "eu-west-1"], "latency": "38ms", "bandwidth": "1Gbps" },
    { "between": ["us-east-1", "us-west-2"],
      "latency": { "dist": "normal", "mean": "30ms", "stddev": "2ms" } },
    { "between": ["eu-west-1", "us-west-2"],
      "latency": { "dist": "lognormal", "median": "70ms", "p99": "120ms" }, "bandwidth": "500Mbps" }
  ],
  "workload": {
    "writes_per_sec": 1000, "reads_per_sec": 0, "arrival": "constant", "keys": 50000,
    "key_distribution": { "zipf": 1.1 }, "write_size": "4KiB", "request_timeout": "3s",
    "client_access_latency": "1ms",
    "clients": [
      { "region": "us-east-1", "share": 0.7, "count": 700 },
      { "region": "eu-west-1", "share": 0.3, "count": 300 }
    ]
  },
  "replication": {
    "topology": "single-primary", "primary": "us-east-1", "replicas": ["us-west-2", "eu-west-1"],
    "mode": "semi-sync", "semi_sync_timeout": "5s"
  },
  "failover": {
    "routing": "dns", "promotion": "automatic", "promotion_delay": "20s", "fencing": false,
    "on_rejoin": "discard",
    "health_check": { "interval": "10s", "failure_threshold": 3, "timeout": "2s",
                      "checkers": ["us-west-2", "eu-west-1"], "unhealthy_share": 0.5 },
    "dns": { "ttl": "60s", "propagation": "5s", "stale_fraction": 0.03, "stale_extra": "10m" }
  },
  "faults": [
    { "kind": "region-outage", "region": "us-east-1", "at": "10m", "duration": "20m" },
    { "kind": "partition", "between": ["us-east-1", "eu-west-1"], "at": "5m", "duration": "2m",
      "direction": "forward" },
    { "kind": "partition", "sides": [["us-east-1"], ["eu-west-1", "us-west-2"]], "at": "1m30s" },
    { "kind": "latency", "between": ["eu-west-1", "us-east-1"], "at": "3m", "duration": "1m",
      "add": "400ms" },
    { "kind": "clock-skew", "region": "eu-west-1", "at": "0s", "offset": "+150ms" }
  ],
  "cost": { "transfer_per_gb": 0.02 },
  "budgets": {
    "write_latency_p99": "250ms", "rpo": "1s", "rto": "2m", "rto_p50": "1m", "rto_p99": "1m30s",
    "lost_writes": 0, "write_latency_p50": "5ms", "availability": 0.999, "divergent_keys": 0
  }
}"#;
