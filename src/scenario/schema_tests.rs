//! Tests of the scenario JSON Schema: it names exactly the DTOs' fields, and
//! it accepts every shipped scenario and rejects typical mistakes.

use super::scenario_schema;
use crate::scenario::dist::LatencyTable;
use crate::scenario::dto::*;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

/// A deserializer that only records the field names a derived struct asks for.
struct Probe<'a>(&'a mut Vec<&'static str>);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.extend(fields);
        Err(de::Error::custom("probe"))
    }
    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

fn fields_of<T: DeserializeOwned>() -> Vec<&'static str> {
    let mut fields = Vec::new();
    let _ = T::deserialize(Probe(&mut fields));
    fields.sort_unstable();
    fields
}

/// The property names of the schema object at a JSON pointer (following one `$ref`).
fn props(schema: &Value, pointer: &str) -> Vec<String> {
    let mut node = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"));
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        node = schema.pointer(r.trim_start_matches('#')).unwrap();
    }
    let mut keys: Vec<String> = node["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{pointer} has no properties"))
        .keys()
        .cloned()
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn every_dto_field_is_described_and_nothing_else() {
    let s = scenario_schema();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("", fields_of::<ScenarioDto>()),
        ("/$defs/region", fields_of::<RegionDto>()),
        ("/$defs/link", fields_of::<LinkDto>()),
        ("/$defs/workload", fields_of::<WorkloadDto>()),
        (
            "/$defs/workload/properties/clients/items",
            fields_of::<ClientDto>(),
        ),
        ("/$defs/replication", fields_of::<ReplicationDto>()),
        ("/properties/conflicts", fields_of::<ConflictsDto>()),
        ("/$defs/failover", fields_of::<FailoverDto>()),
        (
            "/$defs/failover/properties/health_check",
            fields_of::<HealthCheckDto>(),
        ),
        ("/$defs/failover/properties/dns", fields_of::<DnsDto>()),
        (
            "/$defs/failover/properties/anycast",
            fields_of::<AnycastDto>(),
        ),
        (
            "/$defs/failover/properties/client",
            fields_of::<ClientFailoverDto>(),
        ),
        (
            "/$defs/failover/properties/client/properties/backoff",
            fields_of::<BackoffDto>(),
        ),
        ("/$defs/fault", fields_of::<FaultDto>()),
        ("/properties/residency/items", fields_of::<ResidencyDto>()),
        ("/properties/cost", fields_of::<CostDto>()),
        ("/$defs/budgets", fields_of::<BudgetsDto>()),
    ];
    for (pointer, fields) in cases {
        assert!(!fields.is_empty(), "{pointer}: the probe found no fields");
        assert_eq!(
            props(&s, pointer),
            fields,
            "schema at {pointer:?} vs the DTO"
        );
    }
    // The latency tables together name every field of the distribution table.
    let mut table: Vec<String> = (1..4)
        .flat_map(|i| props(&s, &format!("/$defs/latency/oneOf/{i}")))
        .collect();
    table.sort_unstable();
    table.dedup();
    assert_eq!(table, fields_of::<LatencyTable>());
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&scenario_schema()).expect("the schema compiles")
}

fn shipped() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => {
                serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
            }
            Some("json") => serde_json::from_str(&text).unwrap(),
            _ => continue,
        };
        out.push((path.display().to_string(), value));
    }
    assert!(!out.is_empty());
    out
}

#[test]
fn accepts_every_shipped_scenario() {
    let v = validator();
    for (file, doc) in shipped() {
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

/// A named change that makes a valid scenario invalid.
type Mutation = (&'static str, fn(&mut Value));

#[test]
fn rejects_typical_mistakes() {
    let v = validator();
    let (_, base) = shipped().remove(0);
    let mutations: [Mutation; 6] = [
        ("bare number duration", |d| d["duration"] = 600.into()),
        ("unknown top-level key", |d| d["durration"] = "1m".into()),
        ("unknown mode", |d| {
            d["replication"]["mode"] = "eventual".into()
        }),
        ("bad size unit", |d| {
            d["workload"]["write_size"] = "1kb".into()
        }),
        (
            "outage without region",
            |d| d["faults"] = serde_json::json!([{ "kind": "region-outage", "at": "1m" }]),
        ),
        (
            "duration on a clock skew",
            |d| d["faults"] = serde_json::json!([{ "kind": "clock-skew", "region": "a", "offset": "+1ms", "at": "0s", "duration": "1m" }]),
        ),
    ];
    for (what, mutate) in mutations {
        let mut doc = base.clone();
        mutate(&mut doc);
        assert!(!v.is_valid(&doc), "{what} should be rejected");
    }
    for ok in ["1m30s", "250us", "1.5s", " 40ms "] {
        let mut doc = base.clone();
        doc["duration"] = ok.into();
        assert!(v.is_valid(&doc), "{ok} is a duration");
    }
}
