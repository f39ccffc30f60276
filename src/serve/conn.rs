//! One connection's socket work: reading its request head within a deadline, writing a
//! response, and the cap on how many connections are answered at once.
//!
//! A client that sends its head slowly, or never finishes it, must not hold a thread forever:
//! the whole head must arrive before the deadline, else the connection is closed; likewise a
//! client that reads its response slowly has until the stream's write timeout to take all of
//! it. Connections past the cap get a short `503` at once instead of a thread.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::http::{self, RequestHead};

/// How a request head turned out.
#[derive(Debug)]
pub enum Head {
    /// A complete, well-formed head.
    Request(RequestHead),
    /// A head that is malformed, too long, or cut short by the client.
    Malformed,
    /// The deadline passed before the head was complete.
    TooSlow,
}

/// Reads a request head from `stream`, all of it within `limit` of now.
pub fn read_head(stream: &mut TcpStream, limit: Duration) -> io::Result<Head> {
    let deadline = Instant::now() + limit;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(len) = http::head_len(&buf) {
            return Ok(http::parse_head(&buf[..len]).map_or(Head::Malformed, Head::Request));
        }
        if buf.len() as u64 > http::MAX_HEAD {
            return Ok(Head::Malformed);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Head::TooSlow);
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(Head::Malformed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(Head::TooSlow);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes a whole response (no body when `head_only`); the connection closes after it. The
/// stream's write timeout bounds the whole response, not each write: a client that takes a
/// byte now and then cannot keep the thread.
pub fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let head = http::response_head(status, content_type, body.len(), headers);
    let body = if head_only { &[][..] } else { body };
    let limit = stream.write_timeout()?.unwrap_or(Duration::from_secs(10));
    let deadline = Instant::now() + limit;
    for mut rest in [head.as_bytes(), body] {
        while !rest.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            stream.set_write_timeout(Some(left))?;
            match stream.write(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The type of the sentences `serve` answers with when it sends no file.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Writes a plain-text response: a sentence for whoever reads it.
pub fn respond_text(stream: &mut TcpStream, status: u16, text: &str) -> io::Result<()> {
    respond(stream, status, TEXT, &[], text.as_bytes(), false)
}

/// A count of the connections being answered, with a cap.
#[derive(Debug)]
pub struct Slots {
    busy: Arc<AtomicUsize>,
    max: usize,
}

/// One connection's place among the [`Slots`]; given back when dropped.
#[derive(Debug)]
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Slots {
    /// Room for `max` connections at once.
    pub fn new(max: usize) -> Self {
        Slots {
            busy: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    /// A slot, or `None` when all are taken.
    pub fn take(&self) -> Option<Slot> {
        self.busy
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.busy)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn slots_are_capped_and_given_back() {
        let slots = Slots::new(2);
        let a = slots.take().expect("first");
        let _b = slots.take().expect("second");
        assert!(slots.take().is_none(), "third over the cap");
        drop(a);
        assert!(slots.take().is_some(), "a slot given back is taken again");
    }

    /// A connected pair of sockets on loopback.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn a_head_sent_in_pieces_is_read_whole() {
        let (mut client, mut server) = pair();
        client.write_all(b"GET /x/ HTTP/1.1\r\nHo").unwrap();
        let reader = std::thread::spawn(move || read_head(&mut server, Duration::from_secs(30)));
        client.write_all(b"st: localhost\r\n\r\n").unwrap();
        match reader.join().unwrap().unwrap() {
            Head::Request(head) => {
                assert_eq!(head.line.target, "/x/");
                assert_eq!(head.host.as_deref(), Some("localhost"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_client_that_reads_slowly_does_not_keep_the_response_going() {
        let (mut client, mut server) = pair();
        // Takes 64 KiB ten times a second: each write makes progress within the timeout, but
        // the whole body would take about 100 s.
        let reader = std::thread::spawn(move || {
            let mut chunk = vec![0u8; 64 << 10];
            while client.read(&mut chunk).is_ok_and(|n| n > 0) {
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        server
            .set_write_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let body = vec![b'x'; 64 << 20];
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let sent = respond(&mut server, 200, "text/plain", &[], &body, false);
            let _ = tx.send(sent.map_err(|e| e.kind()));
        });
        let sent = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the response was still being sent after 30 s");
        assert!(sent.is_err(), "64 MiB sent to a slow reader");
        drop(reader);
    }

    #[test]
    fn an_unfinished_head_is_too_slow_and_a_closed_one_malformed() {
        let (mut client, mut server) = pair();
        client
            .write_all(b"GET /x/ HTTP/1.1\r\nHost: localhost\r\n")
            .unwrap();
        let head = read_head(&mut server, Duration::from_millis(50)).unwrap();
        assert!(matches!(head, Head::TooSlow), "{head:?}");
        let (mut client, mut server) = pair();
        client.write_all(b"GET /x/ HTTP/1.1\r\n").unwrap();
        drop(client);
        let head = read_head(&mut server, Duration::from_secs(30)).unwrap();
        assert!(matches!(head, Head::Malformed), "{head:?}");
    }
}
