//! Serde leaf types of the scenario DTOs: unit strings, numbers and keyword enums, each
//! with an error message that says what is accepted (the field path is added by the loader).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::types::{
    Arrival, Direction, Jitter, OnRejoin, Promotion, ReplicationMode, Resolution, RoutingKind,
    Topology,
};
use super::units::{
    parse_bandwidth_bps, parse_duration_us, parse_signed_duration_us, parse_size_bytes,
    BANDWIDTH_FORMS, DURATION_FORMS, OFFSET_FORMS, SIZE_FORMS,
};

/// No time-like value in a scenario may exceed this (a run lasts at most 30 days).
pub const MAX_SPAN_US: u64 = 30 * 86_400 * 1_000_000;

pub(crate) fn bare_number<E: de::Error>(expected: &str, n: impl fmt::Display) -> E {
    E::custom(format!("expected {expected}; got the bare number {n}"))
}

/// Implements `visit_i64`/`visit_u64`/`visit_f64` as "got the bare number" errors.
macro_rules! reject_numbers {
    ($expected:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(bare_number($expected, v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(bare_number($expected, v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(bare_number($expected, v))
        }
    };
}
pub(crate) use reject_numbers;

fn duration_expected() -> String {
    format!("a duration string such as {DURATION_FORMS}")
}

pub(crate) fn latency_expected() -> String {
    format!(
        "a duration string such as {DURATION_FORMS}, or a distribution table \
         {{dist = \"normal\"|\"lognormal\"|\"uniform\", ...}}"
    )
}

fn checked_span<E: de::Error>(text: &str, us: u64) -> Result<u64, E> {
    if us > MAX_SPAN_US {
        return Err(E::custom(format!(
            "the duration \"{text}\" is too long: durations in a scenario are at most 30 days (\"30d\" or \"720h\")"
        )));
    }
    Ok(us)
}

/// A duration written as a unit string; `text` is kept for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Dur {
    pub us: u64,
    pub text: String,
}

pub(crate) struct DurVisitor;

impl<'de> Visitor<'de> for DurVisitor {
    type Value = Dur;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&duration_expected())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dur, E> {
        let us = parse_duration_us(v).map_err(E::custom)?;
        Ok(Dur {
            us: checked_span(v, us)?,
            text: v.to_string(),
        })
    }
    reject_numbers!(&duration_expected());
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurVisitor)
    }
}

/// A signed offset such as "+150ms" or "-5ms", in microseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SignedDur(pub i64);

struct SignedVisitor;

impl<'de> Visitor<'de> for SignedVisitor {
    type Value = SignedDur;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a signed duration string such as {OFFSET_FORMS}")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<SignedDur, E> {
        let us = parse_signed_duration_us(v).map_err(E::custom)?;
        checked_span(v, us.unsigned_abs())?;
        Ok(SignedDur(us))
    }
    reject_numbers!(&format!("a signed duration string such as {OFFSET_FORMS}"));
}

impl<'de> Deserialize<'de> for SignedDur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SignedVisitor)
    }
}

/// Defines a unit-string leaf type holding a `u64`.
macro_rules! unit_leaf {
    ($name:ident, $visitor:ident, $parse:path, $forms:expr, $what:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub u64);

        struct $visitor;

        impl<'de> Visitor<'de> for $visitor {
            type Value = $name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, concat!("a ", $what, " string such as {}"), $forms)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                $parse(v).map($name).map_err(E::custom)
            }
            reject_numbers!(&format!(concat!("a ", $what, " string such as {}"), $forms));
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($visitor)
            }
        }
    };
}

unit_leaf!(Size, SizeVisitor, parse_size_bytes, SIZE_FORMS, "size");
unit_leaf!(
    Bandwidth,
    BandwidthVisitor,
    parse_bandwidth_bps,
    BANDWIDTH_FORMS,
    "bandwidth"
);

/// A finite number (integer or float).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num(pub f64);

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number such as 1000 or 0.5")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        if v.is_finite() {
            Ok(Num(v))
        } else {
            Err(E::custom(format!(
                "expected a finite number such as 1000 or 0.5; got {v}"
            )))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        Err(E::custom(format!(
            "expected a number such as 1000 or 0.5 (without quotes); got the string \"{v}\""
        )))
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

/// A non-negative whole number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Count(pub u64);

struct CountVisitor;

const COUNT_EXPECTED: &str = "a non-negative whole number such as 0 or 100";

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Count;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(COUNT_EXPECTED)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
        u64::try_from(v)
            .map(Count)
            .map_err(|_| E::custom(format!("expected {COUNT_EXPECTED}; got {v}")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
        Ok(Count(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
        // Accept integral floats (some JSON writers emit 700.0) within the exact range.
        if v.is_finite() && v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
            Ok(Count(v as u64))
        } else {
            Err(E::custom(format!("expected {COUNT_EXPECTED}; got {v}")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
        Err(E::custom(format!(
            "expected {COUNT_EXPECTED} (without quotes); got the string \"{v}\""
        )))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

/// Defines a keyword leaf: a newtype over a model enum, read from one of fixed strings.
macro_rules! keyword_leaf {
    ($name:ident, $target:ty, $what:literal, { $($text:literal => $value:expr),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub $target);

        impl $name {
            const TABLE: &'static [(&'static str, $target)] = &[$(($text, $value)),+];

            /// The keyword of a value, as written in scenario files.
            #[allow(dead_code)]
            pub fn keyword(v: $target) -> &'static str {
                Self::TABLE.iter().find(|(_, t)| *t == v).map_or("?", |(k, _)| *k)
            }

            /// Every keyword with its value, in the order of the spec.
            #[allow(dead_code)]
            pub fn all() -> &'static [(&'static str, $target)] {
                Self::TABLE
            }

            fn accepted() -> String {
                let names: Vec<String> = Self::TABLE.iter().map(|(k, _)| format!("\"{k}\"")).collect();
                names.join(" | ")
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        write!(f, concat!("a ", $what, ": {}"), $name::accepted())
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::TABLE
                            .iter()
                            .find(|(k, _)| *k == v)
                            .map(|(_, t)| $name(*t))
                            .ok_or_else(|| E::custom(format!(
                                concat!("unknown ", $what, " \"{}\"; accepted: {}"),
                                v,
                                $name::accepted()
                            )))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

keyword_leaf!(ArrivalKw, Arrival, "arrival", { "poisson" => Arrival::Poisson, "constant" => Arrival::Constant });
keyword_leaf!(TopologyKw, Topology, "topology", {
    "single-primary" => Topology::SinglePrimary,
    "multi-primary" => Topology::MultiPrimary,
    "home-region" => Topology::HomeRegion,
});
keyword_leaf!(ModeKw, ReplicationMode, "replication mode", {
    "async" => ReplicationMode::Async,
    "semi-sync" => ReplicationMode::SemiSync,
    "sync" => ReplicationMode::Sync,
});
keyword_leaf!(ResolutionKw, Resolution, "resolution", {
    "lww" => Resolution::Lww,
    "crdt-counter" => Resolution::CrdtCounter,
    "crdt-set" => Resolution::CrdtSet,
});
keyword_leaf!(RoutingKw, RoutingKind, "routing", {
    "dns" => RoutingKind::Dns, "anycast" => RoutingKind::Anycast, "client" => RoutingKind::Client,
});
keyword_leaf!(PromotionKw, Promotion, "promotion", {
    "automatic" => Promotion::Automatic, "manual" => Promotion::Manual,
});
keyword_leaf!(OnRejoinKw, OnRejoin, "on_rejoin", {
    "discard" => OnRejoin::Discard, "reconcile" => OnRejoin::Reconcile,
});
keyword_leaf!(JitterKw, Jitter, "jitter", {
    "full" => Jitter::Full, "equal" => Jitter::Equal, "none" => Jitter::None,
});
keyword_leaf!(DirectionKw, Direction, "direction", {
    "both" => Direction::Both, "forward" => Direction::Forward,
});

/// The kinds of `[[faults]]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKindName {
    RegionOutage,
    Partition,
    Latency,
    ClockSkew,
}

keyword_leaf!(FaultKindKw, FaultKindName, "fault kind", {
    "region-outage" => FaultKindName::RegionOutage,
    "partition" => FaultKindName::Partition,
    "latency" => FaultKindName::Latency,
    "clock-skew" => FaultKindName::ClockSkew,
});

/// The `dist` of a latency distribution table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistName {
    Normal,
    LogNormal,
    Uniform,
}

keyword_leaf!(DistKw, DistName, "distribution", {
    "normal" => DistName::Normal, "lognormal" => DistName::LogNormal, "uniform" => DistName::Uniform,
});
