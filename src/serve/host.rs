//! Which `Host` headers the preview answers: its defence against DNS rebinding.
//!
//! A web page the editor visits can point a name it controls (`evil.example`) at 127.0.0.1 and
//! then read the preview as if it were its own site; the browser still sends
//! `Host: evil.example`. So `serve` answers only requests that name the preview by loopback
//! (`localhost`, `127.x.x.x`, `[::1]`, with or without a port) or by the address it was bound
//! to. When bound to every interface (`0.0.0.0`, `::`) any IP address is accepted, since the
//! preview cannot know which of the computer's addresses a colleague typed; a name other than
//! `localhost` never is, and rebinding needs a name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a request whose `Host` header is `host` may be answered by a preview bound to
/// `bind`.
pub fn allowed(host: &str, bind: IpAddr) -> bool {
    let Some(name) = without_port(host) else {
        return false;
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().map(IpAddr::V4),
    };
    ip.is_ok_and(|ip| ip.is_loopback() || ip == bind || bind.is_unspecified())
}

/// `host` without its `:port`; `None` when the port is not a number.
fn without_port(host: &str) -> Option<&str> {
    let name_end = if host.starts_with('[') {
        host.find(']')? + 1
    } else {
        host.rfind(':').unwrap_or(host.len())
    };
    let (name, port) = host.split_at(name_end);
    match port.strip_prefix(':') {
        None if port.is_empty() => Some(name),
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(name)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(bind: &str) -> IpAddr {
        bind.parse().unwrap()
    }

    #[test]
    fn loopback_names_are_answered_with_or_without_a_port() {
        let bind = at("127.0.0.1");
        for host in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:8080",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(allowed(host, bind), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        let bind = at("127.0.0.1");
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "192.168.1.5:1111",
            "[::2]:1111",
            "localhost:",
            "localhost:x",
            "[::1",
            "::1",
            "",
        ] {
            assert!(!allowed(host, bind), "{host}");
        }
    }

    #[test]
    fn the_bound_address_is_answered_too() {
        let lan = at("192.168.1.5");
        assert!(allowed("192.168.1.5:1111", lan));
        assert!(allowed("localhost:1111", lan));
        assert!(!allowed("192.168.1.6:1111", lan));
        assert!(!allowed("evil.example:1111", lan));
        let v6 = at("fd00::5");
        assert!(allowed("[fd00::5]:1111", v6));
        let everywhere = at("0.0.0.0");
        assert!(allowed("192.168.1.6:1111", everywhere));
        assert!(allowed("[fd00::5]", everywhere));
        assert!(!allowed("evil.example:1111", everywhere), "never a name");
    }
}
