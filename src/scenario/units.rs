//! Unit strings of the scenario format: durations, signed offsets, sizes, bandwidths, key ranges.
//!
//! All arithmetic is exact (integers, checked); a value that is not a whole number of the
//! base unit (microseconds, bytes, bits per second) is an error rather than silently rounded.

/// The accepted duration forms, for error messages.
pub const DURATION_FORMS: &str = r#""250us", "40ms", "1.5s", "10m", "1h" or "1m30s""#;
/// The accepted signed-offset forms, for error messages.
pub const OFFSET_FORMS: &str = r#""+150ms", "-5ms" or "0ms""#;
/// The accepted size forms, for error messages.
pub const SIZE_FORMS: &str =
    r#""512B", "1KiB", "4MiB" or "1MB" (KB/MB/GB are decimal, KiB/MiB/GiB binary)"#;
/// The accepted bandwidth forms, for error messages.
pub const BANDWIDTH_FORMS: &str =
    r#""500bps", "10Kbps", "100Mbps" or "1Gbps" (decimal: 1 Mbps = 1,000,000 bits/s)"#;

const DURATION_UNITS: &[(&str, u64)] = &[
    ("d", 86_400_000_000),
    ("h", 3_600_000_000),
    ("m", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1_000),
    ("us", 1),
    ("\u{b5}s", 1),
    ("\u{3bc}s", 1),
];

const SIZE_UNITS: &[(&str, u64)] = &[
    ("B", 1),
    ("kB", 1_000),
    ("KB", 1_000),
    ("MB", 1_000_000),
    ("GB", 1_000_000_000),
    ("TB", 1_000_000_000_000),
    ("KiB", 1 << 10),
    ("MiB", 1 << 20),
    ("GiB", 1 << 30),
    ("TiB", 1 << 40),
];

const BANDWIDTH_UNITS: &[(&str, u64)] = &[
    ("bps", 1),
    ("kbps", 1_000),
    ("Kbps", 1_000),
    ("Mbps", 1_000_000),
    ("Gbps", 1_000_000_000),
    ("Tbps", 1_000_000_000_000),
];

/// `number × unit`, exactly. `number` is decimal digits with an optional fraction ("1.5").
/// `Ok(None)` when the result is not a whole number of base units.
fn scale(number: &str, unit: u64) -> Result<Option<u128>, String> {
    let (int_part, frac_part) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => (number, ""),
    };
    let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int_part) || (number.contains('.') && !digits_ok(frac_part)) {
        return Err(format!("\"{number}\" is not a decimal number"));
    }
    let int_part = int_part.trim_start_matches('0');
    if int_part.len() > 20 {
        return Err("the number is too large".to_string());
    }
    let int: u128 = if int_part.is_empty() {
        0
    } else {
        int_part
            .parse()
            .map_err(|_| "the number is too large".to_string())?
    };
    let frac_part = frac_part.trim_end_matches('0');
    if frac_part.len() > 18 {
        return Ok(None);
    }
    let frac: u128 = if frac_part.is_empty() {
        0
    } else {
        frac_part
            .parse()
            .map_err(|_| format!("\"{number}\" is not a decimal number"))?
    };
    let denom = 10u128.pow(frac_part.len() as u32);
    let whole = int
        .checked_mul(u128::from(unit))
        .ok_or_else(|| "the number is too large".to_string())?;
    let frac_scaled = frac * u128::from(unit);
    if !frac_scaled.is_multiple_of(denom) {
        return Ok(None);
    }
    let total = whole
        .checked_add(frac_scaled / denom)
        .ok_or_else(|| "the number is too large".to_string())?;
    Ok(Some(total))
}

/// Split "1m30s" into [("1", "m"), ("30", "s")]. Errors on empty parts.
fn components(s: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(num_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        if number.is_empty() {
            return Err(format!("expected a number before \"{unit}\""));
        }
        if unit.is_empty() {
            return Err(format!("the number {number} has no unit"));
        }
        out.push((number, unit));
        rest = next;
    }
    if out.is_empty() {
        return Err("the text is empty".to_string());
    }
    Ok(out)
}

fn to_u64(v: u128, what: &str) -> Result<u64, String> {
    u64::try_from(v).map_err(|_| format!("the {what} is too large"))
}

/// Parse a duration such as "250us", "40ms", "1.5s", "10m", "1h", "2d" or "1m30s" into
/// microseconds. Components must go from the largest unit to the smallest.
pub fn parse_duration_us(s: &str) -> Result<u64, String> {
    let fail = |why: String| {
        format!("invalid duration \"{s}\": {why}; expected a duration such as {DURATION_FORMS}")
    };
    let t = s.trim();
    if t.starts_with(['+', '-']) {
        return Err(fail("a duration cannot be signed here".to_string()));
    }
    let parts = components(t).map_err(fail)?;
    let mut total: u128 = 0;
    let mut last_factor: Option<u64> = None;
    for (number, unit) in parts {
        let Some(&(_, factor)) = DURATION_UNITS.iter().find(|(u, _)| *u == unit) else {
            return Err(fail(format!(
                "unknown unit \"{unit}\" (accepted: d, h, m, s, ms, us)"
            )));
        };
        if last_factor.is_some_and(|last| factor >= last) {
            return Err(fail(
                "units must go from largest to smallest, each at most once".to_string(),
            ));
        }
        last_factor = Some(factor);
        let v = scale(number, factor)
            .map_err(fail)?
            .ok_or_else(|| fail("durations have a resolution of 1us".to_string()))?;
        total = total
            .checked_add(v)
            .ok_or_else(|| fail("the duration is too large".to_string()))?;
    }
    to_u64(total, "duration").map_err(fail)
}

/// Parse a signed offset such as "+150ms", "-5ms" or "0ms" into microseconds.
pub fn parse_signed_duration_us(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (negative, body) = if let Some(rest) = t.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = t.strip_prefix('+') {
        (false, rest)
    } else {
        (false, t)
    };
    let magnitude = parse_duration_us(body).map_err(|_| {
        format!("invalid offset \"{s}\"; expected a signed duration such as {OFFSET_FORMS}")
    })?;
    let m = i64::try_from(magnitude).map_err(|_| format!("invalid offset \"{s}\": too large"))?;
    Ok(if negative { -m } else { m })
}

fn parse_single(
    s: &str,
    units: &[(&str, u64)],
    what: &str,
    base: &str,
    forms: &str,
) -> Result<u64, String> {
    let fail =
        |why: String| format!("invalid {what} \"{s}\": {why}; expected a {what} such as {forms}");
    let parts = components(s.trim()).map_err(fail)?;
    let [(number, unit)] = parts.as_slice() else {
        return Err(fail("expected one number and one unit".to_string()));
    };
    let Some((_, factor)) = units.iter().find(|(u, _)| u == unit) else {
        let names: Vec<&str> = units.iter().map(|(u, _)| *u).collect();
        return Err(fail(format!(
            "unknown unit \"{unit}\" (accepted: {})",
            names.join(", ")
        )));
    };
    let v = scale(number, *factor)
        .map_err(fail)?
        .ok_or_else(|| fail(format!("not a whole number of {base}")))?;
    to_u64(v, what).map_err(fail)
}

/// Parse a size such as "512B", "1KiB", "4MiB" or "1MB" into bytes.
pub fn parse_size_bytes(s: &str) -> Result<u64, String> {
    parse_single(s, SIZE_UNITS, "size", "bytes", SIZE_FORMS)
}

/// Parse a bandwidth such as "100Mbps" or "1Gbps" into bits per second (decimal units).
pub fn parse_bandwidth_bps(s: &str) -> Result<u64, String> {
    parse_single(
        s,
        BANDWIDTH_UNITS,
        "bandwidth",
        "bits per second",
        BANDWIDTH_FORMS,
    )
}

/// Parse a key range "lo..hi" (hi exclusive) into its bounds. Order is not checked here.
pub fn parse_key_range(s: &str) -> Result<(u32, u32), String> {
    let fail = || {
        format!("invalid key range \"{s}\"; expected \"LO..HI\" with whole numbers, HI exclusive, such as \"0..50000\"")
    };
    let (lo, hi) = s.trim().split_once("..").ok_or_else(fail)?;
    let num = |t: &str| -> Result<u32, String> {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail());
        }
        t.parse::<u32>().map_err(|_| fail())
    };
    Ok((num(lo)?, num(hi)?))
}
