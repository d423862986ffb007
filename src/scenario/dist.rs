//! Leaf types with a table form: latency models (`"38ms"` or `{ dist = ..., ... }`) and the
//! key distribution (`"uniform"` or `{ zipf = 1.1 }`).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::leaf::{
    bare_number, latency_expected, reject_numbers, DistKw, DistName, Dur, DurVisitor, Num,
};
use super::types::{KeyDist, LatencyDist};
use crate::engine::time::fmt_duration;

/// A latency distribution table, before its fields are checked against `dist`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyTable {
    pub dist: DistKw,
    pub mean: Option<Dur>,
    pub stddev: Option<Dur>,
    pub median: Option<Dur>,
    pub p99: Option<Dur>,
    pub min: Option<Dur>,
    pub max: Option<Dur>,
}

impl LatencyTable {
    fn into_dist(self) -> Result<LatencyDist, String> {
        let given: Vec<(&str, &Option<Dur>)> = vec![
            ("mean", &self.mean),
            ("stddev", &self.stddev),
            ("median", &self.median),
            ("p99", &self.p99),
            ("min", &self.min),
            ("max", &self.max),
        ];
        let (name, wanted): (&str, [&str; 2]) = match self.dist.0 {
            DistName::Normal => ("normal", ["mean", "stddev"]),
            DistName::LogNormal => ("lognormal", ["median", "p99"]),
            DistName::Uniform => ("uniform", ["min", "max"]),
        };
        let usage = format!(
            "dist = \"{name}\" takes `{}` and `{}` (duration strings)",
            wanted[0], wanted[1]
        );
        for (key, value) in &given {
            let is_wanted = wanted.contains(key);
            if value.is_some() && !is_wanted {
                return Err(format!("`{key}` does not apply: {usage}"));
            }
            if value.is_none() && is_wanted {
                return Err(format!("missing `{key}`: {usage}"));
            }
        }
        let us = |d: &Option<Dur>| d.as_ref().map_or(0, |d| d.us);
        Ok(match self.dist.0 {
            DistName::Normal => LatencyDist::Normal {
                mean_us: us(&self.mean),
                stddev_us: us(&self.stddev),
            },
            DistName::LogNormal => {
                let (median_us, p99_us) = (us(&self.median), us(&self.p99));
                if median_us == 0 {
                    return Err("lognormal `median` must be greater than 0".to_string());
                }
                if p99_us < median_us {
                    return Err(format!(
                        "lognormal `p99` ({}) must be at least `median` ({})",
                        fmt_duration(p99_us),
                        fmt_duration(median_us)
                    ));
                }
                LatencyDist::LogNormal { median_us, p99_us }
            }
            DistName::Uniform => {
                let (min_us, max_us) = (us(&self.min), us(&self.max));
                if min_us > max_us {
                    return Err(format!(
                        "uniform `min` ({}) must not exceed `max` ({})",
                        fmt_duration(min_us),
                        fmt_duration(max_us)
                    ));
                }
                LatencyDist::Uniform { min_us, max_us }
            }
        })
    }
}

/// A latency model: a duration string (constant) or a distribution table.
#[derive(Clone, Debug, PartialEq)]
pub struct Latency(pub LatencyDist);

struct LatencyVisitor;

impl<'de> Visitor<'de> for LatencyVisitor {
    type Value = Latency;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&latency_expected())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Latency, E> {
        let d = DurVisitor.visit_str::<E>(v)?;
        Ok(Latency(LatencyDist::Constant { us: d.us }))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Latency, A::Error> {
        let table = LatencyTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        table.into_dist().map(Latency).map_err(de::Error::custom)
    }
    reject_numbers!(&latency_expected());
}

impl<'de> Deserialize<'de> for Latency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LatencyVisitor)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ZipfTable {
    zipf: Num,
}

const KEY_DIST_EXPECTED: &str = "\"uniform\" or a table { zipf = EXPONENT } such as { zipf = 1.1 }";

/// `key_distribution`: "uniform" or `{ zipf = 1.1 }`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyDistLeaf(pub KeyDist);

struct KeyDistVisitor;

impl<'de> Visitor<'de> for KeyDistVisitor {
    type Value = KeyDistLeaf;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(KEY_DIST_EXPECTED)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyDistLeaf, E> {
        if v == "uniform" {
            Ok(KeyDistLeaf(KeyDist::Uniform))
        } else {
            Err(E::custom(format!(
                "unknown key distribution \"{v}\"; accepted: {KEY_DIST_EXPECTED}"
            )))
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<KeyDistLeaf, A::Error> {
        let t = ZipfTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        if t.zipf.0 > 0.0 && t.zipf.0 <= 100.0 {
            Ok(KeyDistLeaf(KeyDist::Zipf { exponent: t.zipf.0 }))
        } else {
            Err(de::Error::custom(format!(
                "the zipf exponent must be greater than 0 and at most 100; got {}",
                t.zipf.0
            )))
        }
    }
}

impl<'de> Deserialize<'de> for KeyDistLeaf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyDistVisitor)
    }
}
