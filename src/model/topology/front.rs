//! What a topology may do to clients: answer a request (success or
//! refusal), and tell the read workload which version an acknowledgement
//! carries. Owns nothing; borrows the write clients and the reads.

use crate::engine::EventQueue;
use crate::scenario::RegionId;

use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::reads::Reads;
use crate::model::requests::Clients;

/// What a topology may do to clients: answer a request, and tell the read
/// workload which version an acknowledgement carries.
pub struct Front<'a> {
    pub clients: &'a mut Clients,
    pub reads: Option<&'a mut Reads>,
}

impl Front<'_> {
    /// Answers `req` with a success from `from` now (if the client still
    /// waits for `attempt`); returns when it reaches the client, if it does.
    pub fn answer(
        &mut self,
        env: &mut Env,
        t: u64,
        req: u64,
        from: RegionId,
        attempt: Option<u8>,
        q: &mut EventQueue<Ev>,
    ) -> Option<u64> {
        self.clients.reply_to(env, t, req, from, true, attempt, q)
    }

    /// Refuses attempt `attempt` of `req` from `from` now.
    pub fn refuse(
        &mut self,
        env: &mut Env,
        t: u64,
        req: u64,
        from: RegionId,
        attempt: u8,
        q: &mut EventQueue<Ev>,
    ) {
        self.clients
            .reply_to(env, t, req, from, false, Some(attempt), q);
    }

    /// A write of `key` committed at `commit_us` was acknowledged now (`t`),
    /// reaching its client at `ack_us`; `version` as reads compare it.
    pub fn acked(&mut self, t: u64, key: u32, commit_us: u64, version: u64, ack_us: u64) {
        if let Some(r) = self.reads.as_mut() {
            r.note_ack(t, key, commit_us, version, ack_us);
        }
    }
}
