//! The SSRF guard's rules: which addresses an endpoint may never reach (unless the operator allows
//! private networks for development). The same rule runs when an endpoint is saved and again for
//! every connection the workers make, so a DNS answer that changes later cannot get around it.

use std::net::{IpAddr, Ipv4Addr};

/// Why an address may not be the target of a delivery, or `None` if it may.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return forbidden_v4(v4);
            }
            let seg = v6.segments();
            // NAT64 (64:ff9b::/96) embeds an IPv4 address that decides.
            if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
                let o = v6.octets();
                return forbidden_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            }
            if v6.is_loopback() {
                Some("a loopback address")
            } else if v6.is_unspecified() {
                Some("an unspecified address")
            } else if (seg[0] & 0xfe00) == 0xfc00 {
                Some("a private (unique local) address")
            } else if (seg[0] & 0xffc0) == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else if seg[0] == 0 && seg[1..6] == [0, 0, 0, 0, 0] {
                // Deprecated IPv4-compatible form ::a.b.c.d.
                let o = v6.octets();
                forbidden_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]))
            } else {
                None
            }
        }
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(100, 100, 100, 200) {
        Some("a cloud metadata address")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private network address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Some("a carrier-grade NAT address")
    } else if o[0] == 0 || ip.is_broadcast() || o[0] >= 240 {
        Some("a reserved address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if o[0] == 198 && (o[1] & 0xfe) == 18 {
        Some("a benchmarking network address")
    } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        Some("an IETF protocol assignment address")
    } else {
        None
    }
}

/// Host names that name internal services whatever they resolve to.
pub fn forbidden_host_name(host: &str) -> Option<&'static str> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") {
        Some("a loopback host name")
    } else if h == "metadata.google.internal" || h == "metadata" || h.ends_with(".internal") {
        Some("a cloud metadata host name")
    } else {
        None
    }
}

/// Checks every address a URL's host resolves to right now. A host that does not resolve is
/// let through here (it may resolve later); the connection-time check still applies then.
pub async fn check_resolved(host: &str, port: u16) -> Result<(), String> {
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return match forbidden_reason(ip) {
            Some(r) => Err(format!(
                "the URL points to {r} ({ip}), which endpoints may not use"
            )),
            None => Ok(()),
        };
    }
    if let Some(r) = forbidden_host_name(host) {
        return Err(format!(
            "the URL's host is {r}, which endpoints may not use"
        ));
    }
    let lookup = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        tokio::net::lookup_host((host, port)),
    )
    .await;
    if let Ok(Ok(addrs)) = lookup {
        for addr in addrs {
            if let Some(r) = forbidden_reason(addr.ip()) {
                return Err(format!(
                    "the URL's host resolves to {r} ({}), which endpoints may not use",
                    addr.ip()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(s: &str) -> Option<&'static str> {
        forbidden_reason(s.parse().expect("ip"))
    }

    #[test]
    fn private_loopback_link_local_cgnat_and_metadata_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "::",
        ] {
            assert!(reason(ip).is_some(), "{ip} should be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "100.128.0.1",
            "172.32.0.1",
        ] {
            assert_eq!(reason(ip), None, "{ip} should be allowed");
        }
    }
}
