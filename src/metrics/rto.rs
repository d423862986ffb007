//! Per-client recovery tracking: a client is affected by an incident when it
//! sees a failed request during it, and recovered at its next successful write.

/// Requests arrive here in issue order per client (the model settles them in
/// issue order), so a later failure always resets an earlier recovery.
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
    recovered: Option<u64>,
}

impl RtoTracker {
    pub fn new(clients: usize, incidents: usize) -> Self {
        RtoTracker {
            clients: vec![ClientState::default(); clients],
            per_incident: vec![Vec::new(); incidents],
        }
    }

    /// A request of `client` failed, seen at a time inside `incident`.
    pub fn failed(&mut self, client: u32, incident: usize) {
        let tag = incident as u32 + 1;
        let st = self.clients[client as usize];
        if st.incident != 0 && st.incident != tag {
            self.per_incident[st.incident as usize - 1].push(st.recovered);
        }
        self.clients[client as usize] = ClientState {
            incident: tag,
            recovered: None,
        };
    }

    /// A write of `client` was acknowledged at `ack_us`.
    pub fn succeeded(&mut self, client: u32, ack_us: u64) {
        let st = &mut self.clients[client as usize];
        if st.incident != 0 && st.recovered.is_none() {
            st.recovered = Some(ack_us);
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
        let mut t = RtoTracker::new(2, 1);
        t.failed(0, 0);
        t.succeeded(0, 50);
        t.failed(0, 0);
        t.succeeded(0, 90);
        t.succeeded(0, 95);
        t.failed(1, 0);
        t.finish();
        assert_eq!(t.per_incident[0], vec![Some(90), None]);
    }
}
