//! Public IP addresses of farms: parsing from text and validation.
//!
//! A farm's public IP is given as text, the way an operator writes it: an address with its
//! prefix length (`185.206.122.10/24`, `2a02:1802:5e::10/64`) and a gateway address
//! (`185.206.122.1`). It is accepted when the whole subnet is public unicast address space
//! (none of it in the IANA special-purpose blocks: private, shared, loopback, link-local,
//! documentation, benchmarking, multicast, reserved; for IPv6 only global unicast `2000::/3`),
//! the address is a host of the subnet (not its network or broadcast address), and the gateway
//! is another host of the same subnet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::{
	fmt,
	net::{IpAddr, Ipv4Addr, Ipv6Addr},
};
use scale_info::TypeInfo;

/// An IPv4 or IPv6 address.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub enum IpAddress {
	/// An IPv4 address, most significant byte first.
	V4([u8; 4]),
	/// An IPv6 address, most significant byte first.
	V6([u8; 16]),
}

/// A public IP of a farm: the address, the prefix length of its subnet and the gateway.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct PublicIp {
	/// The address.
	pub ip: IpAddress,
	/// The prefix length of the subnet the address is in, e.g. 24 for `/24`.
	pub prefix: u8,
	/// The gateway: another host of the same subnet.
	pub gateway: IpAddress,
}

/// Why a text is not an acceptable public IP.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IpError {
	/// The address is not an IPv4 or IPv6 address with a prefix length, like `185.206.122.10/24`.
	Malformed,
	/// The prefix length is out of range, or leaves no room for both the address and a gateway
	/// (IPv4 allows /1 to /30, IPv6 /1 to /126).
	InvalidPrefix,
	/// Part of the subnet is not public unicast address space (private, shared, loopback,
	/// link-local, documentation, multicast, reserved, …).
	NotPublic,
	/// The address is the network or broadcast address of its subnet, not a host.
	NotAHost,
	/// The gateway is not an IPv4 or IPv6 address.
	GatewayMalformed,
	/// The gateway is not a host of the address's subnet.
	GatewayNotInSubnet,
	/// The gateway is the address itself.
	GatewayIsTheIp,
}

/// IPv4 special-purpose blocks (RFC 6890 and the IANA registry) that a public IP may not touch.
const IPV4_SPECIAL: [(u32, u8); 15] = [
	(0x0000_0000, 8),  // 0.0.0.0/8 "this network"
	(0x0A00_0000, 8),  // 10.0.0.0/8 private
	(0x6440_0000, 10), // 100.64.0.0/10 shared (carrier-grade NAT)
	(0x7F00_0000, 8),  // 127.0.0.0/8 loopback
	(0xA9FE_0000, 16), // 169.254.0.0/16 link-local
	(0xAC10_0000, 12), // 172.16.0.0/12 private
	(0xC000_0000, 24), // 192.0.0.0/24 IETF protocol assignments
	(0xC000_0200, 24), // 192.0.2.0/24 documentation
	(0xC058_6300, 24), // 192.88.99.0/24 6to4 relay anycast
	(0xC0A8_0000, 16), // 192.168.0.0/16 private
	(0xC612_0000, 15), // 198.18.0.0/15 benchmarking
	(0xC633_6400, 24), // 198.51.100.0/24 documentation
	(0xCB00_7100, 24), // 203.0.113.0/24 documentation
	(0xE000_0000, 4),  // 224.0.0.0/4 multicast
	(0xF000_0000, 4),  // 240.0.0.0/4 reserved, with the limited broadcast address
];

/// IPv6 global unicast space: a public IPv6 subnet lies inside it.
const IPV6_GLOBAL_UNICAST: (u128, u8) = (0x2000 << 112, 3);

/// IPv6 special-purpose blocks inside the global unicast space.
const IPV6_SPECIAL: [(u128, u8); 4] = [
	(0x2001_0000 << 96, 23), // 2001::/23 IETF protocol assignments (Teredo, benchmarking, …)
	(0x2001_0db8 << 96, 32), // 2001:db8::/32 documentation
	(0x2002 << 112, 16),     // 2002::/16 6to4
	(0x3fff << 112, 20),     // 3fff::/20 documentation
];

/// An address family as plain integers: the address width in bits and its special blocks.
struct Family {
	bits: u8,
	max_prefix: u8,
	has_broadcast: bool,
	/// The block every public subnet of this family lies inside.
	universe: (u128, u8),
	special: &'static [(u128, u8)],
}

// Evaluated at compile time, where an index out of bounds fails the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const IPV4_SPECIAL_WIDE: [(u128, u8); 15] = {
	let mut out = [(0u128, 0u8); 15];
	let mut i = 0;
	while i < IPV4_SPECIAL.len() {
		out[i] = (IPV4_SPECIAL[i].0 as u128, IPV4_SPECIAL[i].1);
		i += 1;
	}
	out
};

const IPV4: Family = Family {
	bits: 32,
	max_prefix: 30,
	has_broadcast: true,
	universe: (0, 0),
	special: &IPV4_SPECIAL_WIDE,
};
const IPV6: Family = Family {
	bits: 128,
	max_prefix: 126,
	has_broadcast: false,
	universe: IPV6_GLOBAL_UNICAST,
	special: &IPV6_SPECIAL,
};

impl Family {
	/// The mask of a `prefix`-bit network part, within this family's width.
	fn mask(&self, prefix: u8) -> u128 {
		let all = u128::MAX.checked_shr(128u32.saturating_sub(self.bits.into())).unwrap_or(0);
		let host_bits = self.bits.saturating_sub(prefix);
		all.checked_shl(host_bits.into()).unwrap_or(0) & all
	}

	/// The first and last address of the `prefix`-bit block holding `addr`.
	fn range(&self, addr: u128, prefix: u8) -> (u128, u128) {
		let mask = self.mask(prefix);
		let all = self.mask(self.bits);
		(addr & mask, (addr & mask) | (!mask & all))
	}

	/// Checks that `addr/prefix` is a host of a public subnet and `gateway` another host of it.
	fn check(&self, addr: u128, prefix: u8, gateway: u128) -> Result<(), IpError> {
		if prefix == 0 || prefix > self.max_prefix {
			return Err(IpError::InvalidPrefix);
		}
		let (first, last) = self.range(addr, prefix);
		let (universe_first, universe_last) = self.range(self.universe.0, self.universe.1);
		let outside_universe = first < universe_first || last > universe_last;
		let touches_special = self.special.iter().any(|&(block, block_prefix)| {
			let (block_first, block_last) = self.range(block, block_prefix);
			first <= block_last && block_first <= last
		});
		if outside_universe || touches_special {
			return Err(IpError::NotPublic);
		}
		let is_host = |a: u128| a != first && !(self.has_broadcast && a == last);
		if !is_host(addr) {
			return Err(IpError::NotAHost);
		}
		if gateway < first || gateway > last || !is_host(gateway) {
			return Err(IpError::GatewayNotInSubnet);
		}
		if gateway == addr {
			return Err(IpError::GatewayIsTheIp);
		}
		Ok(())
	}
}

impl IpAddress {
	/// Parses an IPv4 or IPv6 address written as text. A trailing prefix length (`/24`) is
	/// allowed and ignored, so the text of a farm's IP names its address.
	pub fn parse(text: &[u8]) -> Result<Self, IpError> {
		let text = core::str::from_utf8(text).map_err(|_| IpError::Malformed)?;
		let address = text.split_once('/').map_or(text, |(address, _)| address);
		address.parse::<IpAddr>().map(Self::from).map_err(|_| IpError::Malformed)
	}

	/// The address as an integer, with its family.
	fn to_bits(self) -> (u128, &'static Family) {
		match self {
			Self::V4(octets) => (u32::from_be_bytes(octets) as u128, &IPV4),
			Self::V6(octets) => (u128::from_be_bytes(octets), &IPV6),
		}
	}
}

impl From<IpAddr> for IpAddress {
	fn from(address: IpAddr) -> Self {
		match address {
			IpAddr::V4(v4) => Self::V4(v4.octets()),
			IpAddr::V6(v6) => Self::V6(v6.octets()),
		}
	}
}

impl fmt::Display for IpAddress {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match *self {
			Self::V4(octets) => Ipv4Addr::from(octets).fmt(f),
			Self::V6(octets) => Ipv6Addr::from(octets).fmt(f),
		}
	}
}

impl PublicIp {
	/// Parses and validates a farm's public IP: `cidr` is the address with its prefix length
	/// (`185.206.122.10/24`), `gateway` a plain address (`185.206.122.1`).
	pub fn parse(cidr: &[u8], gateway: &[u8]) -> Result<Self, IpError> {
		let text = core::str::from_utf8(cidr).map_err(|_| IpError::Malformed)?;
		let (address, prefix) = text.split_once('/').ok_or(IpError::Malformed)?;
		let ip = address.parse::<IpAddr>().map(IpAddress::from).map_err(|_| IpError::Malformed)?;
		// Only plain decimal digits: `u8::from_str` would also take a leading `+`.
		if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
			return Err(IpError::Malformed);
		}
		let prefix: u8 = prefix.parse().map_err(|_| IpError::InvalidPrefix)?;
		let gateway = core::str::from_utf8(gateway)
			.ok()
			.and_then(|g| g.parse::<IpAddr>().ok())
			.map(IpAddress::from)
			.ok_or(IpError::GatewayMalformed)?;
		let public_ip = Self { ip, prefix, gateway };
		public_ip.validate()?;
		Ok(public_ip)
	}

	/// Checks the rules of the module documentation on an already parsed public IP.
	pub fn validate(&self) -> Result<(), IpError> {
		let (addr, family) = self.ip.to_bits();
		let (gateway, gateway_family) = self.gateway.to_bits();
		if gateway_family.bits != family.bits {
			if self.prefix == 0 || self.prefix > family.max_prefix {
				return Err(IpError::InvalidPrefix);
			}
			return Err(IpError::GatewayNotInSubnet);
		}
		family.check(addr, self.prefix, gateway)
	}
}

impl fmt::Display for PublicIp {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}/{} via {}", self.ip, self.prefix, self.gateway)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn parse(cidr: &str, gateway: &str) -> Result<PublicIp, IpError> {
		PublicIp::parse(cidr.as_bytes(), gateway.as_bytes())
	}

	#[test]
	fn public_ipv4_and_ipv6_are_accepted() {
		let ip = parse("185.206.122.10/24", "185.206.122.1").unwrap();
		assert_eq!(ip.ip, IpAddress::V4([185, 206, 122, 10]));
		assert_eq!(ip.prefix, 24);
		assert_eq!(ip.gateway, IpAddress::V4([185, 206, 122, 1]));
		assert!(parse("8.8.8.9/30", "8.8.8.10").is_ok());
		let v6 = parse("2a02:1802:5e::10/64", "2a02:1802:5e::1").unwrap();
		assert_eq!(v6.to_string(), "2a02:1802:5e::10/64 via 2a02:1802:5e::1");
	}

	#[test]
	fn malformed_text_is_refused() {
		for cidr in [
			"",
			"185.206.122.10",
			"185.206.122.10/",
			"185.206.122/24",
			"185.206.122.256/24",
			"185.206.122.10/+24",
			"185.206.122.10/24/1",
			" 185.206.122.10/24",
			"185.206.122.10 /24",
			"2a02::1::2/64",
			"hello/24",
		] {
			assert_eq!(parse(cidr, "185.206.122.1"), Err(IpError::Malformed), "{cidr}");
		}
		assert_eq!(
			PublicIp::parse(&[0xff, 0xfe, b'/', b'2', b'4'], b"185.206.122.1"),
			Err(IpError::Malformed)
		);
	}

	#[test]
	fn prefix_out_of_range_is_refused() {
		for cidr in
			["185.206.122.10/0", "185.206.122.10/31", "185.206.122.10/32", "185.206.122.10/999"]
		{
			assert_eq!(parse(cidr, "185.206.122.1"), Err(IpError::InvalidPrefix), "{cidr}");
		}
		assert_eq!(parse("2a02:1802:5e::10/127", "2a02:1802:5e::11"), Err(IpError::InvalidPrefix));
		assert_eq!(parse("2a02:1802:5e::10/129", "2a02:1802:5e::1"), Err(IpError::InvalidPrefix));
	}

	#[test]
	fn private_and_reserved_ranges_are_refused() {
		for (cidr, gateway) in [
			("10.0.0.5/24", "10.0.0.1"),
			("172.16.3.5/24", "172.16.3.1"),
			("192.168.1.5/24", "192.168.1.1"),
			("100.64.0.5/24", "100.64.0.1"),
			("127.0.0.5/24", "127.0.0.1"),
			("169.254.1.5/24", "169.254.1.1"),
			("0.1.2.3/24", "0.1.2.1"),
			("192.0.2.5/24", "192.0.2.1"),
			("198.51.100.5/24", "198.51.100.1"),
			("203.0.113.5/24", "203.0.113.1"),
			("198.18.0.5/24", "198.18.0.1"),
			("224.0.0.5/24", "224.0.0.1"),
			("240.0.0.5/24", "240.0.0.1"),
			// A public address in a subnet wide enough to reach 10.0.0.0/8.
			("11.1.2.3/6", "11.1.2.1"),
			("fd00::5/64", "fd00::1"),
			("fe80::5/64", "fe80::1"),
			("::1/64", "::2"),
			("ff02::5/64", "ff02::1"),
			("2001:db8::5/64", "2001:db8::1"),
			("2002:c000:204::5/64", "2002:c000:204::1"),
			("2001::5/64", "2001::1"),
			("3fff::5/64", "3fff::1"),
		] {
			assert_eq!(parse(cidr, gateway), Err(IpError::NotPublic), "{cidr}");
		}
	}

	#[test]
	fn network_and_broadcast_addresses_are_not_hosts() {
		assert_eq!(parse("185.206.122.0/24", "185.206.122.1"), Err(IpError::NotAHost));
		assert_eq!(parse("185.206.122.255/24", "185.206.122.1"), Err(IpError::NotAHost));
		assert_eq!(parse("2a02:1802:5e::/64", "2a02:1802:5e::1"), Err(IpError::NotAHost));
	}

	#[test]
	fn gateway_must_be_another_host_of_the_subnet() {
		assert_eq!(parse("185.206.122.10/24", "185.206.123.1"), Err(IpError::GatewayNotInSubnet));
		assert_eq!(parse("185.206.122.10/24", "185.206.122.0"), Err(IpError::GatewayNotInSubnet));
		assert_eq!(parse("185.206.122.10/24", "185.206.122.255"), Err(IpError::GatewayNotInSubnet));
		assert_eq!(parse("185.206.122.10/24", "2a02:1802:5e::1"), Err(IpError::GatewayNotInSubnet));
		assert_eq!(parse("185.206.122.10/24", "185.206.122.10"), Err(IpError::GatewayIsTheIp));
		assert_eq!(parse("185.206.122.10/24", "gateway"), Err(IpError::GatewayMalformed));
		assert_eq!(parse("185.206.122.10/24", "185.206.122.1/24"), Err(IpError::GatewayMalformed));
	}

	#[test]
	fn address_text_parses_with_or_without_prefix() {
		assert_eq!(IpAddress::parse(b"185.206.122.10"), Ok(IpAddress::V4([185, 206, 122, 10])));
		assert_eq!(IpAddress::parse(b"185.206.122.10/24"), Ok(IpAddress::V4([185, 206, 122, 10])));
		assert_eq!(IpAddress::parse(b"nope"), Err(IpError::Malformed));
		assert_eq!(IpAddress::V4([185, 206, 122, 10]).to_string(), "185.206.122.10");
	}
}
