//! timeseries.csv: the data behind the charts, one row per second and series
//! in long format (`t_s,series,value`).

use super::csv::field;
use crate::metrics::{fmt_ratio, RunResult};

/// The CSV header line (without newline).
pub const TIMESERIES_HEADER: &str = "t_s,series,value";

/// Rows in second order; within a second: success rate per client region,
/// replication lag per replica, writes served per region (each by region
/// name). Series names carry their unit:
/// - `success_rate.<client region>`: succeeded / attempted requests issued in
///   that second (0..1), for seconds in which the region's clients issued any;
/// - `lag_max_ms.<replica>`: the largest lag of a write applied at the replica
///   in that second, for seconds in which it applied any;
/// - `lag_waiting_ms.<replica>`: while the replica applied nothing although
///   writes were waiting for it (a cut-off), the time since the oldest write
///   not yet applied (growing 1 s per second; see `report::backlog`), for
///   those seconds only: what lag.svg draws dashed;
/// - `writes.<region>`: acknowledged writes the region served, by second of
///   issue, every second of the run (0 when it served none).
pub fn timeseries_csv(result: &RunResult) -> String {
    let s = &result.series;
    let waiting: Vec<(&String, Vec<Option<u64>>)> = s
        .lag_max_us
        .keys()
        .map(|replica| (replica, super::backlog::backlog_age_us(s, replica)))
        .collect();
    let mut out = String::from(TIMESERIES_HEADER);
    out.push('\n');
    for t in 0..s.seconds as usize {
        for (region, per_sec) in &s.requests {
            if let Some(&(ok, all)) = per_sec.get(t).filter(|p| p.1 > 0) {
                let rate = ok as f64 / all as f64;
                row(&mut out, t, "success_rate", region, &fmt_ratio(rate));
            }
        }
        for (replica, per_sec) in &s.lag_max_us {
            if let Some(&lag) = per_sec.get(t).filter(|&&l| l > 0) {
                row(&mut out, t, "lag_max_ms", replica, &millis(lag));
            }
        }
        for (replica, ages) in &waiting {
            if let Some(age) = ages.get(t).copied().flatten() {
                row(&mut out, t, "lag_waiting_ms", replica, &millis(age));
            }
        }
        for (region, per_sec) in &s.writes_served {
            let n = per_sec.get(t).copied().unwrap_or(0);
            row(&mut out, t, "writes", region, &n.to_string());
        }
    }
    out
}

fn row(out: &mut String, t: usize, series: &str, region: &str, value: &str) {
    out.push_str(&format!("{t},{series}.{},{value}\n", field(region)));
}

/// Microseconds as milliseconds with three decimals, exact.
fn millis(us: u64) -> String {
    format!("{}.{:03}", us / 1000, us % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn long_format_rows_per_second() {
        let mut r = sample();
        let s = &mut r.series;
        s.seconds = 3;
        s.requests.insert("us".into(), vec![(10, 10), (0, 4)]);
        s.lag_max_us.insert("eu".into(), vec![38_250, 0, 1_000_000]);
        s.writes_served.insert("us".into(), vec![10]);
        let csv = timeseries_csv(&r);
        assert_eq!(
            csv,
            "t_s,series,value\n\
             0,success_rate.us,1\n\
             0,lag_max_ms.eu,38.250\n\
             0,writes.us,10\n\
             1,success_rate.us,0\n\
             1,writes.us,0\n\
             2,lag_max_ms.eu,1000.000\n\
             2,writes.us,0\n"
        );
    }

    #[test]
    fn a_cut_off_replica_gets_its_waiting_lag() {
        let mut r = sample();
        let s = &mut r.series;
        s.seconds = 5;
        s.lag_max_us.insert("eu".into(), vec![38_000, 0, 0, 0, 0]);
        s.writes_served.insert("us".into(), vec![1; 5]);
        let csv = timeseries_csv(&r);
        assert!(csv.contains("1,lag_waiting_ms.eu,500.000\n"), "{csv}");
        assert!(csv.contains("4,lag_waiting_ms.eu,3500.000\n"), "{csv}");
        assert!(!csv.contains("0,lag_waiting_ms"));
    }

    #[test]
    fn millis_are_exact() {
        assert_eq!(millis(5), "0.005");
        assert_eq!(millis(38_250), "38.250");
    }
}
