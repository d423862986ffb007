//! Unit strings: every accepted form and the main rejections.

use super::super::units::{
    parse_bandwidth_bps, parse_duration_us, parse_key_range, parse_signed_duration_us,
    parse_size_bytes,
};

#[test]
fn durations() {
    let ok = [
        ("250us", 250),
        ("40ms", 40_000),
        ("1.5s", 1_500_000),
        ("10m", 600_000_000),
        ("1h", 3_600_000_000),
        ("1m30s", 90_000_000),
        ("2d", 172_800_000_000),
        ("1h2m3s4ms5us", 3_723_004_005),
        ("0s", 0),
        ("0.25ms", 250),
        ("1.500s", 1_500_000),
        (" 5s ", 5_000_000),
        ("7\u{b5}s", 7),
    ];
    for (text, us) in ok {
        assert_eq!(parse_duration_us(text), Ok(us), "{text}");
    }
    for bad in [
        "",
        "5",
        "s",
        "1.5",
        "10 m",
        "5sec",
        "1s1m",
        "1s1s",
        "-5s",
        "+5s",
        ".5s",
        "1.s",
        "0.1us",
        "1e3s",
        "99999999999999999999999h",
        "1..5s",
    ] {
        let e = parse_duration_us(bad).expect_err(bad);
        assert!(e.contains("\"1m30s\""), "{bad}: {e}");
    }
}

#[test]
fn signed_offsets() {
    assert_eq!(parse_signed_duration_us("+150ms"), Ok(150_000));
    assert_eq!(parse_signed_duration_us("-5ms"), Ok(-5_000));
    assert_eq!(parse_signed_duration_us("0ms"), Ok(0));
    assert_eq!(parse_signed_duration_us("-1m30s"), Ok(-90_000_000));
    for bad in ["--5ms", "+-5ms", "5", "-", "+"] {
        let e = parse_signed_duration_us(bad).expect_err(bad);
        assert!(e.contains("\"+150ms\""), "{bad}: {e}");
    }
}

#[test]
fn sizes() {
    let ok = [
        ("512B", 512),
        ("1000B", 1000),
        ("1KiB", 1024),
        ("4MiB", 4 << 20),
        ("1GiB", 1 << 30),
        ("1KB", 1000),
        ("1kB", 1000),
        ("1.5MB", 1_500_000),
        ("0.5KiB", 512),
    ];
    for (text, bytes) in ok {
        assert_eq!(parse_size_bytes(text), Ok(bytes), "{text}");
    }
    for bad in ["512", "1kb", "1 KiB", "0.3B", "1KiB1B", "B", "1Mbps"] {
        let e = parse_size_bytes(bad).expect_err(bad);
        assert!(e.contains("\"1KiB\""), "{bad}: {e}");
    }
}

#[test]
fn bandwidths() {
    let ok = [
        ("500bps", 500),
        ("10Kbps", 10_000),
        ("10kbps", 10_000),
        ("100Mbps", 100_000_000),
        ("1Gbps", 1_000_000_000),
        ("2.5Gbps", 2_500_000_000),
    ];
    for (text, bps) in ok {
        assert_eq!(parse_bandwidth_bps(text), Ok(bps), "{text}");
    }
    for bad in ["1000", "1GB", "1 Gbps", "1.5bps", "99999999999Tbps"] {
        let e = parse_bandwidth_bps(bad).expect_err(bad);
        assert!(e.contains("\"100Mbps\""), "{bad}: {e}");
    }
}

#[test]
fn key_ranges_and_formatting() {
    assert_eq!(parse_key_range("0..50000"), Ok((0, 50_000)));
    assert_eq!(parse_key_range("10 .. 20"), Ok((10, 20)));
    for bad in ["0-10", "..10", "a..b", "-1..3", "0..99999999999"] {
        assert!(parse_key_range(bad).is_err(), "{bad}");
    }
    let cases = [
        (0, "0s"),
        (250, "250us"),
        (1_500, "1.5ms"),
        (40_000, "40ms"),
        (2_000_000, "2s"),
        (90_000_000, "90s"),
        (600_000_000, "10m"),
        (7_200_000_000, "2h"),
        (3_605_000_000, "3605s"),
        (3_600_500_000, "3600.5s"),
        (86_400_000_001, "86400.000001s"),
    ];
    for (us, text) in cases {
        assert_eq!(crate::engine::time::fmt_duration(us), text);
    }
    // Round trip through the parser.
    for us in [
        0,
        1,
        999,
        1_001,
        59_999_999,
        61_000_001,
        3_599_999_999,
        172_800_000_000,
        2_591_999_999_999,
    ] {
        assert_eq!(
            parse_duration_us(&crate::engine::time::fmt_duration(us)),
            Ok(us),
            "{us}"
        );
    }
}
