//! A replication stream's sending state, shared by every topology: the next
//! position to send, whether it broke, whether a retry is scheduled; and the
//! window of unapplied messages it may have in flight. Data only.

/// At most this many unapplied messages in flight per stream (a TCP window).
pub const WINDOW: u64 = 65_536;

/// One stream from a sender to one receiver.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stream {
    pub next_send: u64,
    pub broken: bool,
    pub retry_pending: bool,
}

impl Stream {
    /// A stream that resumes after the receiver's `applied` position.
    pub fn resume_after(applied: u64) -> Stream {
        Stream {
            next_send: applied + 1,
            broken: false,
            retry_pending: false,
        }
    }
}
