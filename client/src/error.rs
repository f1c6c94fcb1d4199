//! The client's errors. A call the chain refused carries the pallet's error name and the first
//! line of its documentation, as polkadot.js apps shows them.

use std::fmt;

/// What went wrong.
#[derive(Debug)]
pub enum Error {
	/// The chain ran the call and refused it with a pallet's error, e.g.
	/// `smartContractModule.NodeNotFound: No node has this id.`
	Refused {
		/// The pallet, as apps names it (`smartContractModule`).
		pallet: String,
		/// The error's name (`NodeNotFound`).
		error: String,
		/// The first line of the error's documentation.
		doc: String,
	},
	/// The chain refused the call with a dispatch error of no pallet (e.g. `BadOrigin`).
	Dispatch(String),
	/// The transaction was not included: the pool found it invalid (e.g. the account cannot
	/// pay the fee) or dropped it.
	Transaction(String),
	/// What the command asks is not possible as asked: says what to do instead.
	Usage(String),
	/// Nothing on chain has this id.
	NotFound(String),
	/// No connection to any endpoint, or the node answered something unexpected.
	Chain(String),
	/// A local file or socket.
	Io(std::io::Error),
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Refused { pallet, error, doc } => write!(f, "{pallet}.{error}: {doc}"),
			Self::Dispatch(error) => write!(f, "refused by the chain: {error}"),
			Self::Transaction(message) => write!(f, "the transaction was not included: {message}"),
			Self::Usage(message) | Self::NotFound(message) => f.write_str(message),
			Self::Chain(message) => write!(f, "chain: {message}"),
			Self::Io(error) => write!(f, "{error}"),
		}
	}
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
	fn from(error: std::io::Error) -> Self {
		Self::Io(error)
	}
}

impl From<subxt::error::DispatchError> for Error {
	fn from(error: subxt::error::DispatchError) -> Self {
		match &error {
			subxt::error::DispatchError::Module(module) => match module.details() {
				Ok(details) => Self::Refused {
					pallet: lower_camel(details.pallet.name()),
					error: details.variant.name.clone(),
					doc: details
						.variant
						.docs
						.first()
						.map(|line| line.trim().to_owned())
						.unwrap_or_default(),
				},
				Err(_) => Self::Dispatch(module.to_string()),
			},
			other => Self::Dispatch(format!("{other:?}")),
		}
	}
}

/// Any other error of subxt, its backends and its decoding: a connection or node problem.
macro_rules! chain_errors {
	($($error:ty),* $(,)?) => {$(
		impl From<$error> for Error {
			fn from(error: $error) -> Self {
				Self::Chain(error.to_string())
			}
		}
	)*};
}

chain_errors!(
	subxt::Error,
	subxt::rpcs::Error,
	subxt::error::OnlineClientError,
	subxt::error::OnlineClientAtBlockError,
	subxt::error::StorageError,
	subxt::error::StorageValueError,
	subxt::error::StorageKeyError,
	subxt::error::RuntimeApiError,
	subxt::error::ConstantError,
	subxt::error::EventsError,
	subxt::error::ExtrinsicError,
	subxt::error::BlocksError,
	subxt::error::BlockError,
	subxt::error::TransactionProgressError,
);

impl From<subxt::error::TransactionEventsError> for Error {
	fn from(error: subxt::error::TransactionEventsError) -> Self {
		match error {
			subxt::error::TransactionEventsError::ExtrinsicFailed(dispatch) => dispatch.into(),
			other => Self::Chain(other.to_string()),
		}
	}
}

/// `SmartContractModule` → `smartContractModule`: how polkadot.js names pallets.
pub fn lower_camel(name: &str) -> String {
	let mut chars = name.chars();
	chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn refusals_read_as_apps_shows_them() {
		let refused = Error::Refused {
			pallet: lower_camel("SmartContractModule"),
			error: "NodeNotFound".into(),
			doc: "No node has this id.".into(),
		};
		assert_eq!(refused.to_string(), "smartContractModule.NodeNotFound: No node has this id.");
	}
}
