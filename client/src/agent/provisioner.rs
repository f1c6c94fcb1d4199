//! Where the agent runs deployments: the [`Provisioner`] trait, and [`DirectoryProvisioner`],
//! which keeps them in a directory for tests and demos.

use serde::{Deserialize, Serialize};
use std::{
	fs,
	io::ErrorKind,
	path::{Path, PathBuf},
};

/// What a deployment uses, as its node measures it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
	/// Virtual cores in use.
	pub cru: u64,
	/// SSD storage in use, bytes.
	pub sru: u64,
	/// HDD storage in use, bytes.
	pub hru: u64,
	/// Memory in use, bytes.
	pub mru: u64,
	/// Public traffic since the deployment started, bytes: a counter that only grows.
	pub traffic: u64,
}

/// What the agent reserves for a deployment on the node: the contract's `resources`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
	/// Virtual cores.
	pub cru: u64,
	/// SSD storage, bytes.
	pub sru: u64,
	/// HDD storage, bytes.
	pub hru: u64,
	/// Memory, bytes.
	pub mru: u64,
}

/// Runs the deployments of a node. Every method is idempotent: the agent calls them again
/// after a restart or a reconnection, as the chain says.
pub trait Provisioner: Send + Sync {
	/// Runs `deployment` for the contract, in place of what ran for it before.
	fn deploy(
		&self,
		contract_id: u64,
		deployment: &[u8],
		reservation: Reservation,
	) -> Result<(), String>;
	/// Stops the contract's workload and deletes it.
	fn remove(&self, contract_id: u64) -> Result<(), String>;
	/// Stops the contract's workload and keeps it (the owner is in a grace period).
	fn pause(&self, contract_id: u64) -> Result<(), String>;
	/// Runs a paused workload again.
	fn resume(&self, contract_id: u64) -> Result<(), String>;
	/// The contracts deployed here, paused or not.
	fn deployed(&self) -> Result<Vec<u64>, String>;
	/// What the contract's deployment uses now.
	fn usage(&self, contract_id: u64) -> Result<Usage, String>;
}

/// Keeps each deployment in `<dir>/<contract id>/`: `deployment` (its bytes), `usage.json`
/// (what it uses: the reservation when deployed; a demo or a test writes other figures and
/// a traffic counter there) and `paused` while it is paused. A paused deployment uses no
/// resources.
pub struct DirectoryProvisioner {
	dir: PathBuf,
}

impl DirectoryProvisioner {
	/// A provisioner keeping its deployments in `dir`, made if missing.
	pub fn new(dir: impl Into<PathBuf>) -> Result<Self, String> {
		let dir = dir.into();
		fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
		Ok(Self { dir })
	}

	fn path(&self, contract_id: u64) -> PathBuf {
		self.dir.join(contract_id.to_string())
	}
}

fn io(path: &Path, error: std::io::Error) -> String {
	format!("{}: {error}", path.display())
}

impl Provisioner for DirectoryProvisioner {
	fn deploy(
		&self,
		contract_id: u64,
		deployment: &[u8],
		reservation: Reservation,
	) -> Result<(), String> {
		let path = self.path(contract_id);
		fs::create_dir_all(&path).map_err(|error| io(&path, error))?;
		fs::write(path.join("deployment"), deployment).map_err(|error| io(&path, error))?;
		let usage_path = path.join("usage.json");
		// A redeployment keeps the traffic counter: it counts since the contract started.
		let traffic = self.usage(contract_id).map(|usage| usage.traffic).unwrap_or_default();
		let usage = Usage {
			cru: reservation.cru,
			sru: reservation.sru,
			hru: reservation.hru,
			mru: reservation.mru,
			traffic,
		};
		let json = serde_json::to_vec_pretty(&usage).map_err(|error| error.to_string())?;
		fs::write(&usage_path, json).map_err(|error| io(&usage_path, error))
	}

	fn remove(&self, contract_id: u64) -> Result<(), String> {
		let path = self.path(contract_id);
		match fs::remove_dir_all(&path) {
			Err(error) if error.kind() != ErrorKind::NotFound => Err(io(&path, error)),
			_ => Ok(()),
		}
	}

	fn pause(&self, contract_id: u64) -> Result<(), String> {
		let path = self.path(contract_id).join("paused");
		fs::write(&path, b"").map_err(|error| io(&path, error))
	}

	fn resume(&self, contract_id: u64) -> Result<(), String> {
		let path = self.path(contract_id).join("paused");
		match fs::remove_file(&path) {
			Err(error) if error.kind() != ErrorKind::NotFound => Err(io(&path, error)),
			_ => Ok(()),
		}
	}

	fn deployed(&self) -> Result<Vec<u64>, String> {
		let entries = fs::read_dir(&self.dir).map_err(|error| io(&self.dir, error))?;
		let mut contracts: Vec<u64> =
			entries.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()).collect();
		contracts.sort_unstable();
		Ok(contracts)
	}

	fn usage(&self, contract_id: u64) -> Result<Usage, String> {
		let path = self.path(contract_id);
		let usage_path = path.join("usage.json");
		let text = fs::read(&usage_path).map_err(|error| io(&usage_path, error))?;
		let usage: Usage =
			serde_json::from_slice(&text).map_err(|error| io(&usage_path, error.into()))?;
		if path.join("paused").exists() {
			return Ok(Usage { traffic: usage.traffic, ..Usage::default() });
		}
		Ok(usage)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn provisioner() -> (DirectoryProvisioner, PathBuf) {
		let dir = std::env::temp_dir().join(format!(
			"gridchain-provisioner-{}-{:?}",
			std::process::id(),
			std::thread::current().id()
		));
		let _ = fs::remove_dir_all(&dir);
		(DirectoryProvisioner::new(&dir).expect("a temporary directory"), dir)
	}

	const VM: Reservation = Reservation { cru: 2, sru: 100 << 30, hru: 0, mru: 4 << 30 };

	#[test]
	fn a_deployment_lives_in_its_directory_until_removed() {
		let (provisioner, dir) = provisioner();
		provisioner.deploy(7, b"deployment", VM).expect("deploys");
		assert_eq!(fs::read(dir.join("7/deployment")).expect("written"), b"deployment");
		assert_eq!(provisioner.deployed(), Ok(vec![7]));
		assert_eq!(provisioner.usage(7).expect("usage").mru, 4 << 30);
		provisioner.remove(7).expect("removes");
		provisioner.remove(7).expect("removing again is fine");
		assert_eq!(provisioner.deployed(), Ok(vec![]));
		fs::remove_dir_all(dir).expect("cleans up");
	}

	#[test]
	fn a_paused_deployment_uses_nothing_but_keeps_its_traffic() {
		let (provisioner, dir) = provisioner();
		provisioner.deploy(3, b"deployment", VM).expect("deploys");
		let usage = Usage { traffic: 1_000, ..provisioner.usage(3).expect("usage") };
		fs::write(dir.join("3/usage.json"), serde_json::to_vec(&usage).expect("json"))
			.expect("writes");
		provisioner.pause(3).expect("pauses");
		assert_eq!(provisioner.usage(3), Ok(Usage { traffic: 1_000, ..Usage::default() }));
		provisioner.resume(3).expect("resumes");
		assert_eq!(provisioner.usage(3), Ok(usage));
		provisioner.deploy(3, b"new version", VM).expect("redeploys");
		assert_eq!(provisioner.usage(3).expect("usage").traffic, 1_000);
		fs::remove_dir_all(dir).expect("cleans up");
	}
}
