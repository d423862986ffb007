//! Per residency range: the writes to its keys, their losses and their
//! recovery, so the report can show what pinning a range costs.

use serde::Serialize;

use super::recorder::{Loss, Outcome};
use super::rto::RtoTracker;

/// A key range as the model describes it to the metrics.
#[derive(Clone, Debug)]
pub struct RangeInfo {
    /// Inclusive lower and exclusive upper key.
    pub lo: u32,
    pub hi: u32,
    /// `None`: the keys no rule pins.
    pub jurisdiction: Option<String>,
    /// The regions its keys may be stored in.
    pub regions: Vec<String>,
}

/// Counts requests and tracks recovery per range (one single-client RTO
/// tracker per range: a range recovers at its first acknowledged write after
/// the last failed one).
#[derive(Clone, Debug, Default)]
pub struct RangeTracker {
    pub info: Vec<RangeInfo>,
    pub rto: Vec<RtoTracker>,
    /// Per range: (acknowledged, attempted) writes.
    pub writes: Vec<(u64, u64)>,
}

impl RangeTracker {
    pub fn new(info: Vec<RangeInfo>, incidents: usize) -> Self {
        RangeTracker {
            rto: vec![RtoTracker::new(1, incidents); info.len()],
            writes: vec![(0, 0); info.len()],
            info,
        }
    }

    /// The range holding `key` (the unpinned rest is last, spanning all keys).
    pub fn of(&self, key: u32) -> Option<usize> {
        self.info
            .iter()
            .position(|r| r.jurisdiction.is_some() && key >= r.lo && key < r.hi)
            .or_else(|| self.info.iter().position(|r| r.jurisdiction.is_none()))
    }

    pub fn request(&mut self, key: u32, incident: Option<usize>, outcome: Outcome) {
        let Some(i) = self.of(key) else { return };
        self.writes[i].1 += 1;
        match outcome {
            Outcome::Acked { ack_us, .. } => {
                self.writes[i].0 += 1;
                self.rto[i].succeeded(0, ack_us);
            }
            Outcome::Failed { at_us } => {
                if let Some(inc) = incident {
                    self.rto[i].failed(0, inc, at_us);
                }
            }
        }
    }
}

/// One range in report.json (`metrics.residency`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RangeFigures {
    /// `"LO..HI"`, or `"rest"` for the keys no rule pins.
    pub keys: String,
    pub jurisdiction: Option<String>,
    pub regions: Vec<String>,
    pub attempted_writes: u64,
    pub acknowledged_writes: u64,
    pub availability: f64,
    pub lost_writes: u64,
    /// Worst over incidents, as for the headline figures.
    pub rpo_us: u64,
    /// Worst over incidents; `null` when the range never recovered.
    pub rto_us: Option<u64>,
}

/// The figures of every range; `starts` are the incident starts and
/// `owner[i]` the incident of loss `i`.
pub fn figures(
    t: &mut RangeTracker,
    losses: &[Loss],
    owner: &[Option<usize>],
    starts: &[u64],
) -> Vec<RangeFigures> {
    for r in &mut t.rto {
        r.finish();
    }
    let mut out = Vec::with_capacity(t.info.len());
    for (i, r) in t.info.iter().enumerate() {
        let mine: Vec<(&Loss, Option<usize>)> = losses
            .iter()
            .zip(owner)
            .filter(|(l, _)| t.of(l.key) == Some(i))
            .map(|(l, o)| (l, *o))
            .collect();
        let rpo = (0..starts.len().max(1))
            .map(|inc| {
                let c: Vec<u64> = mine
                    .iter()
                    .filter(|(_, o)| o.unwrap_or(0) == inc)
                    .map(|(l, _)| l.commit_us)
                    .collect();
                match (c.iter().min(), c.iter().max()) {
                    (Some(&f), Some(&l)) => l.max(starts.get(inc).copied().unwrap_or(0)) - f,
                    _ => 0,
                }
            })
            .max()
            .unwrap_or(0);
        let mut rto = Some(0);
        for (inc, recs) in t.rto[i].per_incident.iter().enumerate() {
            for rec in recs {
                rto = match (rto, rec) {
                    (Some(a), Some(at)) => Some(a.max(at.saturating_sub(starts[inc]))),
                    _ => None,
                };
            }
        }
        let (ok, all) = t.writes[i];
        out.push(RangeFigures {
            keys: match r.jurisdiction {
                Some(_) => format!("{}..{}", r.lo, r.hi),
                None => "rest".into(),
            },
            jurisdiction: r.jurisdiction.clone(),
            regions: r.regions.clone(),
            attempted_writes: all,
            acknowledged_writes: ok,
            availability: if all == 0 {
                1.0
            } else {
                ok as f64 / all as f64
            },
            lost_writes: mine.len() as u64,
            rpo_us: rpo,
            rto_us: rto,
        });
    }
    out
}
