//! What can go wrong, as one line that says what to do, and the short names reports use.
use super::*;

#[derive(Debug, Error)]
pub enum ClientError {
    #[error(transparent)]
    Transport(TransportError),
    #[error("no pool at {pool} on {endpoint}: check the address, or create one with `stakepool create-pool`")]
    NoSuchPool { pool: Pubkey, endpoint: String },
    #[error("{owner} has no position in pool {pool}: open one with `stakepool deposit`")]
    NoPosition { pool: Pubkey, owner: Pubkey },
    #[error("pool id {pool_id} is taken: your pool for this mint with that id is {pool}; use it, or pass another --pool-id")]
    PoolExists { pool: Pubkey, pool_id: u16 },
    #[error("no lending market at {market} on {endpoint}: check the address, or create one with `stakepool market init`")]
    NoSuchMarket { market: Pubkey, endpoint: String },
    #[error("no mint at {mint} on {endpoint}: check the address")]
    NoSuchMint { mint: Pubkey, endpoint: String },
    #[error("no token account {account}: create it with `spl-token create-account {mint}`")]
    NoTokenAccount { account: Pubkey, mint: Pubkey },
    #[error("{account} holds {have}, this needs {need}: top it up or use a smaller amount")]
    InsufficientBalance {
        account: Pubkey,
        have: String,
        need: String,
    },
    #[error("the fee payer {payer} has too little SOL{need}: {hint}")]
    InsufficientSol {
        payer: Pubkey,
        need: String,
        hint: String,
    },
    #[error(
        "pool {0} is paused: deposits stop until the admin unpauses; withdraw and claim still work"
    )]
    PoolPaused(Pubkey),
    #[error("this pool's minimum deposit is {minimum}: deposit at least that much")]
    BelowMinimumDeposit { minimum: String },
    #[error("the pool's deposit cap leaves room for {room} more: deposit at most that much")]
    DepositCapExceeded { room: String },
    #[error(
        "pool {0} has no lending market: its admin sets one with `stakepool set-lending-market`"
    )]
    NoLendingMarket(Pubkey),
    #[error(
        "market {market} is controlled by {authority}, not by this pool's admin {admin}: whoever controls a market can take what is lent to it (the mock's simulate-borrow); pass --allow-foreign-market if you trust {authority}"
    )]
    ForeignMarket {
        market: Pubkey,
        authority: Pubkey,
        admin: Pubkey,
    },
    #[error("ALL is nothing here: {0}")]
    NothingAvailable(String),
    #[error("{0}")]
    Usage(String),
    #[error("the program refused: {name}: {message}")]
    Program { name: String, message: String },
    #[error("the transaction failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl ClientError {
    /// A short name for reports: the program's error name where there is one.
    pub fn name(&self) -> String {
        match self {
            ClientError::Program { name, .. } => name.clone(),
            ClientError::PoolPaused(_) => "PoolPaused".into(),
            ClientError::BelowMinimumDeposit { .. } => "BelowMinimumDeposit".into(),
            ClientError::DepositCapExceeded { .. } => "DepositCapExceeded".into(),
            ClientError::InsufficientBalance { .. } => "InsufficientBalance".into(),
            ClientError::InsufficientSol { .. } => "InsufficientSol".into(),
            ClientError::NoPosition { .. } => "NoPosition".into(),
            ClientError::NoSuchPool { .. } => "NoSuchPool".into(),
            ClientError::PoolExists { .. } => "PoolExists".into(),
            ClientError::NoSuchMarket { .. } => "NoSuchMarket".into(),
            ClientError::NoSuchMint { .. } => "NoSuchMint".into(),
            ClientError::NoTokenAccount { .. } => "NoTokenAccount".into(),
            ClientError::NoLendingMarket(_) => "NoLendingMarket".into(),
            ClientError::ForeignMarket { .. } => "ForeignMarket".into(),
            ClientError::Amount(_) => "InvalidAmount".into(),
            ClientError::Decode(_) => "InvalidAccount".into(),
            ClientError::Transport(TransportError::Expired { .. }) => "Expired".into(),
            ClientError::Transport(TransportError::Lost { .. }) => "Lost".into(),
            ClientError::Transport(TransportError::Refused(_)) => "Refused".into(),
            ClientError::Transport(TransportError::Unreachable { .. }) => "Unreachable".into(),
            ClientError::Failed(_) => "TransactionFailed".into(),
            ClientError::NothingAvailable(_) => "NothingAvailable".into(),
            ClientError::Usage(_) => "InvalidArguments".into(),
        }
    }
}

/// A refused transaction as one line: the failing program's error name and message. Anchor
/// logs them ("Error Code: X. Error Number: N. Error Message: M."), which also names errors
/// raised inside a CPI; without logs (in-process runs) the code is looked up for the program
/// of the failing instruction.
pub(super) fn refusal(
    transaction: &Transaction,
    error: &TransactionError,
    logs: &[String],
) -> ClientError {
    if let Some((name, message)) = logs.iter().find_map(|line| anchor_error_in_log(line)) {
        return ClientError::Program { name, message };
    }
    if let TransactionError::InstructionError(index, InstructionError::Custom(code)) = error {
        let message = &transaction.message;
        let program = message
            .instructions
            .get(usize::from(*index))
            .and_then(|instruction| {
                message
                    .account_keys
                    .get(usize::from(instruction.program_id_index))
            });
        if let Some((name, message)) =
            program.and_then(|program| program_errors::describe(program, *code))
        {
            return ClientError::Program { name, message };
        }
    }
    ClientError::Failed(error.to_string())
}

/// Name and message from an Anchor error log line.
fn anchor_error_in_log(line: &str) -> Option<(String, String)> {
    let rest = line.split("Error Code: ").nth(1)?;
    let (name, rest) = rest.split_once(". Error Number: ")?;
    let message = rest.split_once(". Error Message: ").map_or("", |(_, m)| m);
    Some((name.to_string(), message.trim_end_matches('.').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_error_logs_name_the_error() {
        let line = "Program log: AnchorError thrown in programs/mock-lending/src/instructions/deposit.rs:52. Error Code: DepositTooSmall. Error Number: 6001. Error Message: Deposit is too small to buy one share at the current exchange rate.";
        assert_eq!(
            anchor_error_in_log(line),
            Some((
                "DepositTooSmall".into(),
                "Deposit is too small to buy one share at the current exchange rate".into()
            ))
        );
        assert_eq!(
            anchor_error_in_log("Program log: Instruction: Deposit"),
            None
        );
    }
}
