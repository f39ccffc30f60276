//! How much any one client may take of the preview: time to send a request, connections
//! answered at once, event streams open at once and how long each lives.

use std::time::Duration;

/// How much the preview lets clients take. The defaults suit an editor's browser; the tests
/// set them small through hidden command-line options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send its whole request head before it is disconnected.
    pub head_timeout: Duration,
    /// How many connections are answered at once; the next ones get a `503` at once.
    pub max_connections: usize,
    /// How many event streams (open preview tabs) may be open at once.
    pub max_streams: usize,
    /// How long an event stream lives before it is closed; the page reconnects by itself.
    pub stream_lifetime: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            head_timeout: Duration::from_secs(10),
            max_connections: 64,
            max_streams: 64,
            stream_lifetime: Duration::from_secs(300),
        }
    }
}
