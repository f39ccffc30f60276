//! The open live-reload event streams: a capped list that each rebuild's message is sent to,
//! where a stream lives a bounded time before it is closed (the page reconnects by itself and
//! is told the current generation again, so it misses nothing).

use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long one message may take to be handed to a stream before the stream is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);

struct Open {
    stream: TcpStream,
    opened: Instant,
}

/// The open event streams.
pub struct Streams {
    open: Mutex<Vec<Open>>,
    max: usize,
    lifetime: Duration,
}

/// Why a stream was not added.
#[derive(Debug)]
pub enum Refused {
    /// As many streams as allowed are open; the stream is handed back, untouched.
    Full(TcpStream),
    /// The first message could not be sent.
    Io(io::Error),
}

impl Streams {
    /// Room for `max` streams, each closed after `lifetime`.
    pub fn new(max: usize, lifetime: Duration) -> Self {
        Streams {
            open: Mutex::new(Vec::new()),
            max,
            lifetime,
        }
    }

    /// Keeps `stream` after sending it `hello()`, which is made while the list is held, so no
    /// broadcast can slip between the hello and the stream's joining.
    pub fn add(
        &self,
        mut stream: TcpStream,
        hello: impl FnOnce() -> String,
    ) -> Result<(), Refused> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= self.max {
            return Err(Refused::Full(stream));
        }
        stream
            .set_write_timeout(Some(WRITE_TIMEOUT))
            .map_err(Refused::Io)?;
        stream
            .write_all(hello().as_bytes())
            .and_then(|()| stream.flush())
            .map_err(Refused::Io)?;
        open.push(Open {
            stream,
            opened: Instant::now(),
        });
        Ok(())
    }

    /// Sends `message` to every open stream, dropping those that are gone and closing those
    /// that have lived their time.
    pub fn broadcast(&self, message: &str) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        open.retain_mut(|o| {
            if now.duration_since(o.opened) >= self.lifetime {
                let _ = o.stream.shutdown(Shutdown::Both);
                return false;
            }
            o.stream
                .write_all(message.as_bytes())
                .and_then(|()| o.stream.flush())
                .is_ok()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        (client, server)
    }

    fn read_some(client: &mut TcpStream) -> String {
        let mut buf = [0u8; 256];
        let n = client.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    #[test]
    fn streams_are_capped_greeted_and_told() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let streams = Streams::new(2, Duration::from_secs(3600));
        let (mut a, server_a) = pair(&listener);
        let (_b, server_b) = pair(&listener);
        let (_c, server_c) = pair(&listener);
        streams.add(server_a, || "hello\n".into()).unwrap();
        streams.add(server_b, || "hello\n".into()).unwrap();
        assert!(matches!(
            streams.add(server_c, || "hello\n".into()),
            Err(Refused::Full(_))
        ));
        assert_eq!(read_some(&mut a), "hello\n");
        streams.broadcast("news\n");
        assert_eq!(read_some(&mut a), "news\n");
        assert_eq!(streams.open.lock().unwrap().len(), 2);
    }

    #[test]
    fn streams_past_their_lifetime_are_closed() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let streams = Streams::new(2, Duration::ZERO);
        let (mut a, server_a) = pair(&listener);
        streams.add(server_a, || "hello\n".into()).unwrap();
        assert_eq!(read_some(&mut a), "hello\n");
        streams.broadcast("news\n");
        assert!(streams.open.lock().unwrap().is_empty());
        let mut rest = Vec::new();
        assert_eq!(
            a.read_to_end(&mut rest).unwrap(),
            0,
            "closed, with no message"
        );
    }
}
