//! One value of a metric: a whole number, a share, or unbounded (`null`, such
//! as the RTO of a run where some client never recovered).

use serde::{Serialize, Serializer};
use std::cmp::Ordering;

/// One value of a metric. `Unbounded` (a JSON `null`, such as the RTO of a run
/// where some client never recovered) sorts after every finite value: it
/// counts as +infinity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sample {
    Int(u64),
    Ratio(f64),
    Unbounded,
}

impl Sample {
    /// `None` is unbounded.
    pub fn opt(v: Option<u64>) -> Sample {
        v.map_or(Sample::Unbounded, Sample::Int)
    }

    /// The value as a number; `None` when unbounded.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Sample::Int(v) => Some(v as f64),
            Sample::Ratio(r) => Some(r),
            Sample::Unbounded => None,
        }
    }

    /// A total order: integers and ratios by value, unbounded last.
    pub fn total_cmp(&self, other: &Sample) -> Ordering {
        match (self, other) {
            (Sample::Unbounded, Sample::Unbounded) => Ordering::Equal,
            (Sample::Unbounded, _) => Ordering::Greater,
            (_, Sample::Unbounded) => Ordering::Less,
            (Sample::Int(a), Sample::Int(b)) => a.cmp(b),
            (a, b) => {
                let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
                x.total_cmp(&y)
            }
        }
    }
}

impl Serialize for Sample {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Sample::Int(v) => s.serialize_u64(*v),
            Sample::Ratio(r) if r.is_finite() => s.serialize_f64(*r),
            _ => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbounded_sorts_last() {
        let mut v = [Sample::Unbounded, Sample::Int(3), Sample::Int(1)];
        v.sort_by(Sample::total_cmp);
        assert_eq!(v, [Sample::Int(1), Sample::Int(3), Sample::Unbounded]);
        assert_eq!(
            serde_json::to_string(&Sample::Unbounded).ok().as_deref(),
            Some("null")
        );
    }
}
