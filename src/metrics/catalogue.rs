//! The metric catalogue: one row per headline metric, the single table that
//! budgets, `check` rows, `--baseline` comparison, sweep columns, report.json
//! paths and the scenario schema's `[budgets]` are all driven from.
//!
//! Adding a metric: measure it (a field of [`Metrics`]), then add one row to
//! [`CATALOGUE`]. Nothing else lists metrics. The order of the table is the
//! order of budgets in report.json, of `check` rows, of baseline rows and of
//! sweep columns.

use super::result::Metrics;
use super::sample::Sample;

/// What a metric's numbers count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Microseconds of virtual time (`null` = unbounded, never recovered).
    Us,
    /// A whole number of things (writes, keys, events).
    Count,
    /// A share in [0, 1].
    Share,
    /// Bytes.
    Bytes,
}

impl Unit {
    /// The unit's name in report.json (`limit_value` and friends).
    pub fn json_name(self) -> &'static str {
        match self {
            Unit::Us => "us",
            Unit::Count => "count",
            Unit::Share => "share",
            Unit::Bytes => "bytes",
        }
    }
}

/// How a metric is shown in tables and on chart axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    /// A duration in seconds (`89.500s`; axis in s).
    Secs,
    /// A duration in milliseconds (`3.200ms`; axis in ms): latencies.
    Millis,
    /// A whole number.
    Plain,
    /// A share (`0.9987`).
    Share,
}

impl Display {
    /// Multiplies a stored value into the display unit.
    pub fn scale(self) -> f64 {
        match self {
            Display::Secs => 1e-6,
            Display::Millis => 1e-3,
            Display::Plain | Display::Share => 1.0,
        }
    }

    /// The display unit for an axis label (`"s"`), if any.
    pub fn axis_unit(self) -> Option<&'static str> {
        match self {
            Display::Secs => Some("s"),
            Display::Millis => Some("ms"),
            Display::Plain | Display::Share => None,
        }
    }
}

/// Which way a metric gets better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Smaller is better (a budget on it is a ceiling).
    Lower,
    /// Larger is better (a budget on it is a floor).
    Higher,
    /// Neither: a volume (events, acknowledged writes), never a regression.
    Neither,
}

/// What a scenario must have for the metric to be produced (a budget on a
/// metric the scenario cannot produce is an error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// `replication.topology = "multi-primary"`.
    MultiPrimary,
    /// At least one `[[residency]]` rule.
    Residency,
    /// `workload.reads_per_sec > 0`.
    Reads,
}

/// One metric of the catalogue.
pub struct Metric {
    /// The metric's name: its `[budgets]` key, `check` row and baseline row.
    pub name: &'static str,
    /// A heading for tables and charts (`"Write latency p99"`).
    pub title: &'static str,
    pub unit: Unit,
    /// How tables and charts show it.
    pub display: Display,
    pub better: Better,
    /// `Some(description)` when a scenario may put a budget on it.
    pub budget: Option<&'static str>,
    pub needs: Needs,
    /// Where it is in report.json, under `metrics` (`["write_latency_us", "p99"]`).
    pub json: &'static [&'static str],
    /// Its column in a sweep row's `metrics` object, if it is one.
    pub column: Option<&'static str>,
    /// Whether the sweep charts it against each swept parameter.
    pub sweep_chart: bool,
    /// The smallest difference the reports show, in `unit` (a baseline
    /// comparison tolerates one of it).
    pub resolution: f64,
    /// Reads the figure from a run's metrics.
    pub read: fn(&Metrics) -> Sample,
}

impl PartialEq for Metric {
    fn eq(&self, other: &Metric) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Debug for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Metric({})", self.name)
    }
}

impl Metric {
    /// Whether a budget on this metric is a floor (the figure must be at
    /// least the limit) rather than a ceiling.
    pub fn is_floor(&self) -> bool {
        self.better == Better::Higher
    }

    /// The figure in the style of a budget limit (`"89.5s"`, `"50"`, `"0.9987"`).
    pub fn show(&self, s: Sample) -> String {
        super::format::show(self.unit, s)
    }

    /// The figure for people: pages, tables, the terminal (`"1m 29.5s"`,
    /// `"36,022"`, `"99.87% (2 nines)"`).
    pub fn cell(&self, s: Sample) -> String {
        super::format::human(self.unit, s)
    }

    /// Its key in a sweep row (the column name, else the metric name).
    pub fn column_key(&self) -> &'static str {
        self.column.unwrap_or(self.name)
    }

    /// A chart axis label: the title and its display unit (`"RPO (s)"`).
    pub fn axis(&self) -> String {
        match self.display.axis_unit() {
            Some(u) => format!("{} ({u})", self.title),
            None => self.title.to_string(),
        }
    }

    /// A report.json value (`null`, a whole number, a share) as a sample of
    /// this metric; `None` when the value is not of the metric's kind.
    pub fn sample_of_json(&self, v: &serde_json::Value) -> Option<Sample> {
        if v.is_null() {
            return Some(Sample::Unbounded);
        }
        match self.unit {
            Unit::Share => v.as_f64().map(Sample::Ratio),
            Unit::Us | Unit::Count | Unit::Bytes => v.as_u64().map(Sample::Int),
        }
    }

    /// Whether `after` is worse than `before` by more than `tol`.
    pub fn got_worse(&self, before: Sample, after: Sample, tol: Tolerance) -> bool {
        let (b, a) = match (before.as_f64(), after.as_f64()) {
            (_, None) => return before != Sample::Unbounded && self.better == Better::Lower,
            (None, Some(_)) => return self.better == Better::Higher,
            (Some(b), Some(a)) => (b, a),
        };
        let slack = b.abs() * tol.relative + tol.resolutions * self.resolution;
        match self.better {
            Better::Lower => a > b + slack,
            Better::Higher => a < b - slack,
            Better::Neither => false,
        }
    }
}

/// How much worse a figure may get before a baseline comparison flags it:
/// `relative` of the earlier value plus `resolutions` units of the metric's
/// resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    pub relative: f64,
    pub resolutions: f64,
}

impl Tolerance {
    /// The default: 1% relative and one unit of resolution.
    pub const DEFAULT: Tolerance = Tolerance {
        relative: 0.01,
        resolutions: 1.0,
    };
    /// Exact: any change for the worse is flagged.
    pub const EXACT: Tolerance = Tolerance {
        relative: 0.0,
        resolutions: 0.0,
    };

    /// Reads `--tolerance`: a percentage (`"1%"`, `"0.5%"`) or a fraction
    /// (`"0.01"`) of the earlier value, plus one unit of each metric's
    /// resolution; `"0"` (or `"0%"`) is exact, without the resolution.
    pub fn parse(text: &str) -> Result<Tolerance, String> {
        let t = text.trim();
        let (number, scale) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), 0.01),
            None => (t, 1.0),
        };
        let bad = || {
            format!("`{text}` is not a tolerance: give a percentage such as 1% or 0.5%, a fraction such as 0.01, or 0 for exact")
        };
        let v: f64 = number.parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 {
            return Err(bad());
        }
        if v == 0.0 {
            return Ok(Tolerance::EXACT);
        }
        Ok(Tolerance {
            relative: v * scale,
            resolutions: 1.0,
        })
    }
}

/// The metric named `name`.
pub fn metric(name: &str) -> Option<&'static Metric> {
    CATALOGUE.iter().find(|m| m.name == name)
}

/// The metrics a budget may name, in catalogue order.
pub fn budgetable() -> impl Iterator<Item = &'static Metric> {
    CATALOGUE.iter().filter(|m| m.budget.is_some())
}

/// The `[budgets]` keys, in catalogue order.
pub fn budget_keys() -> &'static [&'static str] {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| budgetable().map(|m| m.name).collect())
}

/// The metrics that are sweep columns, in column order.
pub fn columns() -> impl Iterator<Item = &'static Metric> {
    CATALOGUE.iter().filter(|m| m.column.is_some())
}

#[path = "catalogue_table.rs"]
mod table;
pub use table::CATALOGUE;

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
