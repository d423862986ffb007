//! MEASURED.json: the figures of a real game day, with units, as the user
//! writes them: `{"rto": "94s", "rpo": "2s", "lost_writes": 120, "detection": "30s"}`.

use crate::metrics::{human_count, human_duration, Sample};
use crate::scenario::{escape_controls, parse_duration_us};

/// The keys MEASURED.json may hold.
pub const ACCEPTED_KEYS: &str = "rto, rpo, lost_writes, detection";

/// A figure that can be measured on a game day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Rto,
    Rpo,
    LostWrites,
    Detection,
}

impl Figure {
    /// In the order of the table.
    pub const ALL: [Figure; 4] = [
        Figure::Rto,
        Figure::Rpo,
        Figure::LostWrites,
        Figure::Detection,
    ];

    /// Its key in MEASURED.json.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Rto => "rto",
            Figure::Rpo => "rpo",
            Figure::LostWrites => "lost_writes",
            Figure::Detection => "detection",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Figure::Rto => "RTO",
            Figure::Rpo => "RPO",
            Figure::LostWrites => "lost writes",
            Figure::Detection => "detection",
        }
    }

    /// A duration (else a count).
    pub fn is_duration(self) -> bool {
        !matches!(self, Figure::LostWrites)
    }

    /// A value for people: `1m 34s`, `120`, `not recovered`.
    pub fn show(self, s: Sample) -> String {
        match (s, self.is_duration()) {
            (Sample::Unbounded, true) => "not recovered".to_string(),
            (Sample::Unbounded, false) => "unbounded".to_string(),
            (Sample::Int(v), true) => human_duration(v),
            (Sample::Int(v), false) => human_count(v),
            (Sample::Ratio(r), _) => format!("{r}"),
        }
    }
}

/// The figures given, in the table's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured(pub Vec<(Figure, Sample)>);

/// Parses MEASURED.json; the error names the field and what it accepts.
pub fn parse_measured(text: &str) -> Result<Measured, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Some(obj) = v.as_object() else {
        return Err(format!(
            "expected a JSON object such as {{\"rto\": \"94s\", \"lost_writes\": 120}}; keys: {ACCEPTED_KEYS}"
        ));
    };
    // serde_json keeps the last of two equal keys; a figure given twice is a
    // mistake to point out, not one to settle silently.
    if let Some(key) = duplicate_key(text) {
        return Err(format!(
            "field `{}`: given twice; give each of {ACCEPTED_KEYS} at most once",
            escape_controls(&key)
        ));
    }
    for key in obj.keys() {
        if !Figure::ALL.iter().any(|f| f.key() == key) {
            return Err(format!(
                "field `{}`: unknown key; accepted: {ACCEPTED_KEYS}",
                escape_controls(key)
            ));
        }
    }
    let mut out = Vec::new();
    for f in Figure::ALL {
        let Some(value) = obj.get(f.key()) else {
            continue;
        };
        out.push((f, value_of(f, value)?));
    }
    if out.is_empty() {
        return Err(format!(
            "no figure given; give at least one of {ACCEPTED_KEYS}"
        ));
    }
    Ok(Measured(out))
}

/// The first key the top-level JSON object holds twice, if any.
fn duplicate_key(text: &str) -> Option<String> {
    struct Dup(Option<String>);
    impl<'de> serde::Deserialize<'de> for Dup {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Dup;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Dup, A::Error> {
                    let mut seen: Vec<String> = Vec::new();
                    let mut dup = None;
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        if dup.is_none() && seen.contains(&key) {
                            dup = Some(key.clone());
                        }
                        seen.push(key);
                    }
                    Ok(Dup(dup))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_str::<Dup>(text).ok().and_then(|d| d.0)
}

fn value_of(f: Figure, v: &serde_json::Value) -> Result<Sample, String> {
    let key = f.key();
    if f.is_duration() {
        if v.is_null() && f == Figure::Rto {
            return Ok(Sample::Unbounded);
        }
        let Some(text) = v.as_str() else {
            return Err(format!(
                "field `{key}`: expected a duration string with its unit, such as \"94s\", \"1m30s\" or \"250ms\"{}",
                if f == Figure::Rto { " (or null: not recovered)" } else { "" }
            ));
        };
        return parse_duration_us(text)
            .map(Sample::Int)
            .map_err(|e| format!("field `{key}`: {}", escape_controls(&e)));
    }
    v.as_u64().map(Sample::Int).ok_or_else(|| {
        format!("field `{key}`: expected a whole number of writes (0 or more), such as 120")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_refuses_unknown_keys() {
        let m =
            parse_measured(r#"{"lost_writes": 120, "rto": "1m34s", "detection": "30s"}"#).unwrap();
        assert_eq!(
            m.0,
            vec![
                (Figure::Rto, Sample::Int(94_000_000)),
                (Figure::LostWrites, Sample::Int(120)),
                (Figure::Detection, Sample::Int(30_000_000)),
            ]
        );
        let e = parse_measured(r#"{"rto": "94s", "mttr": "1m"}"#).unwrap_err();
        assert!(e.contains("`mttr`") && e.contains(ACCEPTED_KEYS), "{e}");
        let e = parse_measured(r#"{"rto": 94}"#).unwrap_err();
        assert!(e.contains("`rto`") && e.contains("94s"), "{e}");
        assert!(parse_measured(r#"{"lost_writes": -1}"#).is_err());
        assert!(parse_measured("{}").is_err());
        assert!(parse_measured("[1]").is_err());
        assert_eq!(
            parse_measured(r#"{"rto": null}"#).unwrap().0[0].1,
            Sample::Unbounded
        );
    }
}
