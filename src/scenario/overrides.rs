//! `--set PATH=VALUE` overrides: dotted paths checked against the DTO schema, applied to the
//! scenario's value tree as if written in the file.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

use super::dist::LatencyTable;
use super::dto::{
    AnycastDto, BackoffDto, BudgetsDto, ClientDto, ClientFailoverDto, ConflictsDto, CostDto,
    DnsDto, FailoverDto, FaultDto, HealthCheckDto, LinkDto, RegionDto, ReplicationDto,
    ResidencyDto, ScenarioDto, WorkloadDto,
};
use super::load::toml_to_json;
use super::ScenarioError;

/// A deserializer that only records the field names a struct asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names collected"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The keys a DTO struct accepts.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Table {
    Root,
    Region,
    Link,
    Workload,
    Client,
    Replication,
    Conflicts,
    Failover,
    HealthCheck,
    Dns,
    Anycast,
    ClientFailover,
    Backoff,
    Fault,
    Residency,
    Cost,
    Budgets,
    Latency,
    KeyDist,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Node {
    Table(Table),
    Array(&'static Node),
    Leaf,
}

fn keys(t: Table) -> &'static [&'static str] {
    match t {
        Table::Root => fields_of::<ScenarioDto>(),
        Table::Region => fields_of::<RegionDto>(),
        Table::Link => fields_of::<LinkDto>(),
        Table::Workload => fields_of::<WorkloadDto>(),
        Table::Client => fields_of::<ClientDto>(),
        Table::Replication => fields_of::<ReplicationDto>(),
        Table::Conflicts => fields_of::<ConflictsDto>(),
        Table::Failover => fields_of::<FailoverDto>(),
        Table::HealthCheck => fields_of::<HealthCheckDto>(),
        Table::Dns => fields_of::<DnsDto>(),
        Table::Anycast => fields_of::<AnycastDto>(),
        Table::ClientFailover => fields_of::<ClientFailoverDto>(),
        Table::Backoff => fields_of::<BackoffDto>(),
        Table::Fault => fields_of::<FaultDto>(),
        Table::Residency => fields_of::<ResidencyDto>(),
        Table::Cost => fields_of::<CostDto>(),
        Table::Budgets => fields_of::<BudgetsDto>(),
        Table::Latency => fields_of::<LatencyTable>(),
        Table::KeyDist => &["zipf"],
    }
}

const NAMES: Node = Node::Array(&Node::Leaf);

fn child(t: Table, key: &str) -> Option<Node> {
    if !keys(t).contains(&key) {
        return None;
    }
    use Table as T;
    Some(match (t, key) {
        (T::Root, "regions") => Node::Array(&Node::Table(T::Region)),
        (T::Root, "links") => Node::Array(&Node::Table(T::Link)),
        (T::Root, "workload") => Node::Table(T::Workload),
        (T::Root, "replication") => Node::Table(T::Replication),
        (T::Root, "conflicts") => Node::Table(T::Conflicts),
        (T::Root, "failover") => Node::Table(T::Failover),
        (T::Root, "faults") => Node::Array(&Node::Table(T::Fault)),
        (T::Root, "residency") => Node::Array(&Node::Table(T::Residency)),
        (T::Root, "cost") => Node::Table(T::Cost),
        (T::Root, "budgets") => Node::Table(T::Budgets),
        (T::Workload, "clients") => Node::Array(&Node::Table(T::Client)),
        (T::Workload, "key_distribution") => Node::Table(T::KeyDist),
        (T::Link, "latency") | (T::Anycast, "convergence") => Node::Table(T::Latency),
        (T::Failover, "health_check") => Node::Table(T::HealthCheck),
        (T::Failover, "dns") => Node::Table(T::Dns),
        (T::Failover, "anycast") => Node::Table(T::Anycast),
        (T::Failover, "client") => Node::Table(T::ClientFailover),
        (T::ClientFailover, "backoff") => Node::Table(T::Backoff),
        (T::Link, "between")
        | (T::Fault, "between")
        | (T::Replication, "replicas")
        | (T::HealthCheck, "checkers")
        | (T::ClientFailover, "endpoints") => NAMES,
        (T::Fault, "sides") => Node::Array(&NAMES),
        _ => Node::Leaf,
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn display(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn parse_path(path: &str) -> Result<Vec<Seg>, String> {
    let bad = || {
        format!("`{path}` is not a valid path; expected dotted keys with optional indexes, such as failover.dns.ttl or workload.clients[0].share")
    };
    let mut segs = Vec::new();
    for part in path.trim().split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if key.is_empty() && rest.is_empty() {
            return Err(bad());
        }
        if !key.is_empty() {
            match key.parse::<usize>() {
                Ok(i) if key.bytes().all(|b| b.is_ascii_digit()) => segs.push(Seg::Index(i)),
                _ => segs.push(Seg::Key(key.to_string())),
            }
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').ok_or_else(bad)?;
            let index = inner.get(..close).unwrap_or("");
            let i = index.parse::<usize>().map_err(|_| bad())?;
            segs.push(Seg::Index(i));
            rest = inner.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            return Err(bad());
        }
    }
    if !matches!(segs.first(), Some(Seg::Key(_))) {
        return Err(bad());
    }
    Ok(segs)
}

/// Check a path against the schema.
fn check_schema(segs: &[Seg]) -> Result<(), String> {
    let mut node = Node::Table(Table::Root);
    for (n, seg) in segs.iter().enumerate() {
        let here = display(segs.get(..n).unwrap_or(&[]));
        let here_text = if here.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{here}`")
        };
        node = match (node, seg) {
            (Node::Table(t), Seg::Key(k)) => child(t, k).ok_or_else(|| {
                format!(
                    "unknown path: {here_text} has no key `{k}`; accepted keys: {}",
                    keys(t).join(", ")
                )
            })?,
            (Node::Array(elem), Seg::Index(_)) => *elem,
            (Node::Table(_), Seg::Index(_)) => {
                return Err(format!("unknown path: {here_text} is not a list"))
            }
            (Node::Array(_), Seg::Key(_)) => {
                return Err(format!(
                    "unknown path: {here_text} is a list; index it, such as {here}[0]"
                ))
            }
            (Node::Leaf, _) => {
                return Err(format!(
                    "unknown path: {here_text} is a single value with no sub-keys"
                ))
            }
        };
    }
    Ok(())
}

/// Read an override value: a TOML value when it parses as one, else the text as a string.
fn parse_value(text: &str) -> Result<Value, String> {
    let parsed = toml::from_str::<toml::Table>(&format!("v = {text}"));
    match parsed {
        Ok(mut t) if t.len() == 1 => match t.remove("v") {
            Some(toml::Value::Datetime(_)) | None => Ok(Value::String(text.to_string())),
            Some(v) => toml_to_json(v, "v").map_err(|_| {
                format!("the value {text} is not a finite number; quote it to use it as text: \"{text}\"")
            }),
        },
        _ => Ok(Value::String(text.to_string())),
    }
}

/// Set `value` at `segs` in `tree`, creating missing tables (not list entries).
fn set(tree: &mut Value, segs: &[Seg], value: Value) -> Result<(), String> {
    let mut cur = tree;
    for (n, seg) in segs.iter().enumerate() {
        let here = display(segs.get(..n).unwrap_or(&[]));
        let last = n + 1 == segs.len();
        match seg {
            Seg::Key(k) => {
                if cur.is_null() {
                    *cur = Value::Object(serde_json::Map::new());
                }
                let Value::Object(map) = cur else {
                    return Err(format!(
                        "`{here}` is not a table in the file, so `{}` cannot be set; set `{here}` as a whole instead",
                        display(segs)
                    ));
                };
                if last {
                    map.insert(k.clone(), value);
                    return Ok(());
                }
                cur = map.entry(k.clone()).or_insert(Value::Null);
            }
            Seg::Index(i) => {
                let Value::Array(items) = cur else {
                    return Err(format!("`{here}` is not a list in the file"));
                };
                let len = items.len();
                let Some(item) = items.get_mut(*i) else {
                    return Err(format!(
                        "`{here}` has {len} entries, so index {i} does not exist (overrides cannot add entries)"
                    ));
                };
                if last {
                    *item = value;
                    return Ok(());
                }
                cur = item;
            }
        }
    }
    Ok(())
}

/// Reject a list where a table is expected (serde would otherwise read a struct from a
/// list by position, which the format does not allow).
pub(crate) fn check_shapes(tree: &Value) -> Result<(), ScenarioError> {
    shape(tree, Node::Table(Table::Root), "")
}

fn shape(v: &Value, node: Node, path: &str) -> Result<(), ScenarioError> {
    match (node, v) {
        (Node::Table(t), Value::Array(_)) => {
            let message = format!(
                "expected a table with keys {}; got a list",
                keys(t).join(", ")
            );
            Err(if path.is_empty() {
                ScenarioError::at("top level", message)
            } else {
                ScenarioError::field(path.to_string(), message)
            })
        }
        (Node::Table(t), Value::Object(map)) => {
            for (k, sub) in map {
                if let Some(node) = child(t, k) {
                    let sub_path = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    shape(sub, node, &sub_path)?;
                }
            }
            Ok(())
        }
        (Node::Array(elem), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                shape(item, *elem, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Apply overrides in order; a later override of the same path wins.
pub(crate) fn apply(tree: &mut Value, list: &[(String, String)]) -> Result<(), ScenarioError> {
    for (path, text) in list {
        let fail = |m: String| ScenarioError::at(format!("override `{path}`"), m);
        let segs = parse_path(path).map_err(fail)?;
        check_schema(&segs).map_err(fail)?;
        let value = parse_value(text).map_err(fail)?;
        set(tree, &segs, value).map_err(fail)?;
    }
    Ok(())
}

/// Note on an error whose field was set (or is inside a value set) by an override.
pub(crate) fn attribute(mut e: ScenarioError, list: &[(String, String)]) -> ScenarioError {
    let Some(field) = e
        .location
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(f, _)| f.to_string())
    else {
        return e;
    };
    for (path, text) in list.iter().rev() {
        let Ok(segs) = parse_path(path) else { continue };
        let p = display(&segs);
        let inside = field
            .strip_prefix(&p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
        if inside {
            e.message = format!("{} (value set by override {path}={text})", e.message);
            break;
        }
    }
    e
}
