//! Property tests: no input, however mangled, makes loading panic.

use proptest::prelude::*;

use super::super::units::{parse_bandwidth_bps, parse_signed_duration_us, parse_size_bytes};
use super::super::{parse_duration_us, parse_str, parse_with_overrides, Format};
use super::MINIMAL;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn unit_parsers_never_panic(s in "\\PC{0,24}") {
        let _ = parse_duration_us(&s);
        let _ = parse_signed_duration_us(&s);
        let _ = parse_size_bytes(&s);
        let _ = parse_bandwidth_bps(&s);
    }

    #[test]
    fn unit_like_strings_never_panic(s in "[0-9.+-]{0,25}(us|ms|s|m|h|d|B|KiB|Gbps|µs|x)?([0-9.]{0,5}(s|ms))?") {
        let _ = parse_duration_us(&s);
        let _ = parse_signed_duration_us(&s);
        let _ = parse_size_bytes(&s);
        let _ = parse_bandwidth_bps(&s);
    }

    #[test]
    fn mangled_scenarios_never_panic(cut in 0usize..400, len in 0usize..40, insert in "\\PC{0,12}") {
        let bytes = MINIMAL.as_bytes();
        let start = cut.min(bytes.len());
        let end = (start + len).min(bytes.len());
        let mut text = String::from_utf8_lossy(&bytes[..start]).into_owned();
        text.push_str(&insert);
        text.push_str(&String::from_utf8_lossy(&bytes[end..]));
        let _ = parse_str(&text, "f.toml", Format::Toml);
        let _ = parse_str(&text, "f.json", Format::Json);
    }

    #[test]
    fn arbitrary_overrides_never_panic(path in "[a-z_.\\[\\]0-9]{0,30}", value in "\\PC{0,16}") {
        let list = vec![(path, value)];
        let _ = parse_with_overrides(MINIMAL, "o.toml", Format::Toml, &list);
    }

    #[test]
    fn known_paths_with_arbitrary_values_never_panic(
        i in 0usize..12,
        value in prop_oneof![Just("-1".to_string()), Just("1e308".to_string()), Just("nan".to_string()), Just("[]".to_string()), Just("{}".to_string()), "\\PC{0,10}"],
    ) {
        let paths = [
            "duration", "seed", "workload.keys", "workload.writes_per_sec", "workload.clients[0].count",
            "links[0].latency", "replication.acks", "failover.health_check.failure_threshold",
            "failover.dns.stale_fraction", "workload.key_distribution.zipf", "regions[0]", "faults",
        ];
        let list = vec![(paths[i].to_string(), value)];
        let _ = parse_with_overrides(MINIMAL, "o.toml", Format::Toml, &list);
    }
}
