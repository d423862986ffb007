//! Recovery per residency range, the way a monitor of that range sees it: a
//! range is affected by an incident when a request to its keys fails during
//! it, and recovered at its next acknowledged write. (The headline RTO is
//! `restore.rs`'s, from route probes per client; a route probe has no notion
//! of a key range, so the per-range figure stays an observed one, labelled so.)

/// Requests arrive in issue order per client, but what counts is when the
/// client saw each outcome: it recovers at its first success after the last
/// failure it saw.
#[derive(Clone, Debug, Default)]
pub struct RtoTracker {
    clients: Vec<ClientState>,
    /// Per incident: each affected client's recovery time (absolute µs), or
    /// `None` when it never recovered.
    pub per_incident: Vec<Vec<Option<u64>>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct ClientState {
    /// Incident index + 1 this client is affected by; 0 = none.
    incident: u32,
    /// When the client last saw a failure.
    last_fail_us: u64,
    /// Its first success seen after that.
    recovered: Option<u64>,
}

impl RtoTracker {
    pub fn new(clients: usize, incidents: usize) -> Self {
        RtoTracker {
            clients: vec![ClientState::default(); clients],
            per_incident: vec![Vec::new(); incidents],
        }
    }

    /// A request of `client` failed, seen at `at_us`, inside `incident`.
    pub fn failed(&mut self, client: u32, incident: usize, at_us: u64) {
        let tag = incident as u32 + 1;
        let st = &mut self.clients[client as usize];
        if st.incident != tag {
            if st.incident != 0 {
                self.per_incident[st.incident as usize - 1].push(st.recovered);
            }
            *st = ClientState {
                incident: tag,
                last_fail_us: at_us,
                recovered: None,
            };
            return;
        }
        if at_us >= st.last_fail_us {
            st.last_fail_us = at_us;
            st.recovered = st.recovered.filter(|&r| r > at_us);
        }
    }

    /// A write of `client` was acknowledged at `ack_us`.
    pub fn succeeded(&mut self, client: u32, ack_us: u64) {
        let st = &mut self.clients[client as usize];
        if st.incident != 0 && ack_us > st.last_fail_us {
            st.recovered = Some(st.recovered.map_or(ack_us, |r| r.min(ack_us)));
        }
    }

    /// Closes every open record (at the end of the run).
    pub fn finish(&mut self) {
        for st in &mut self.clients {
            if st.incident != 0 {
                self.per_incident[st.incident as usize - 1].push(st.recovered);
                st.incident = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_failure_resets_recovery() {
        let mut t = RtoTracker::new(3, 1);
        t.failed(0, 0, 10);
        t.succeeded(0, 50);
        t.failed(0, 0, 60);
        t.succeeded(0, 90);
        t.succeeded(0, 95);
        t.failed(1, 0, 10);
        // Issued earlier, failed (timed out) after a later request succeeded.
        t.failed(2, 0, 10);
        t.succeeded(2, 30);
        t.failed(2, 0, 40);
        t.succeeded(2, 45);
        t.finish();
        assert_eq!(t.per_incident[0], vec![Some(90), None, Some(45)]);
    }
}
