//! The `[budgets]` table as read from the file: its keys are the metric
//! catalogue's budgetable metrics, and each value is read by the metric's unit
//! (a duration, a count or a share).

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use std::fmt;

use super::leaf::{Count, Dur, Num};
use crate::metrics::catalogue::{budget_keys, Metric, Unit};

/// One budget's limit as written.
#[derive(Debug)]
pub enum LimitDto {
    Dur(Dur),
    Count(Count),
    Share(Num),
}

/// The `[budgets]` table: each named metric with its limit, in file order.
#[derive(Debug, Default)]
pub struct BudgetsDto(pub Vec<(&'static Metric, LimitDto)>);

impl<'de> Deserialize<'de> for BudgetsDto {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<BudgetsDto, D::Error> {
        d.deserialize_struct("BudgetsDto", budget_keys(), BudgetsVisitor)
    }
}

struct BudgetsVisitor;

impl<'de> Visitor<'de> for BudgetsVisitor {
    type Value = BudgetsDto;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of budgets")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BudgetsDto, A::Error> {
        let mut out = BudgetsDto::default();
        while let Some(metric) = map.next_key_seed(KeySeed)? {
            if out.0.iter().any(|(m, _)| m.name == metric.name) {
                return Err(de::Error::duplicate_field(metric.name));
            }
            let limit = match metric.unit {
                Unit::Us => LimitDto::Dur(map.next_value()?),
                Unit::Share => LimitDto::Share(map.next_value()?),
                Unit::Count | Unit::Bytes => LimitDto::Count(map.next_value()?),
            };
            out.0.push((metric, limit));
        }
        Ok(out)
    }
}

/// Reads a `[budgets]` key as its catalogue metric (an unknown key is an
/// error raised while reading the key, so that the error's path names it).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = &'static Metric;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static Metric, D::Error> {
        d.deserialize_identifier(KeySeed)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = &'static Metric;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a budget name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static Metric, E> {
        crate::metrics::catalogue::budgetable()
            .find(|m| m.name == key)
            .ok_or_else(|| E::unknown_field(key, budget_keys()))
    }
}
