//! What can go wrong, as one line that says what to do, and the short names reports use.
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use solana_message::compiled_instruction::CompiledInstruction;

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
    Program {
        name: String,
        message: String,
        /// The error's number in its program (Anchor's codes from 6000, the token programs'
        /// from 0), when known.
        number: Option<u32>,
    },
    /// Token-2022 refused a transfer out of `account` (`CpiGuardTransferBlocked`): the programs
    /// move a user's tokens by cross-program invocation with the user as authority, which is
    /// what CPI Guard blocks. `account` is `None` when the refused instruction is not one the
    /// client builds; `program` is the one whose transfer was refused.
    #[error("{}", cpi_guard_line(.account, .program))]
    CpiGuard {
        account: Option<Pubkey>,
        program: Pubkey,
    },
    /// Token-2022 refused a transfer into `account` (`NoMemo`): it requires a memo on incoming
    /// transfers, and the programs' transfers carry none. A memo the client sends in the same
    /// transaction does not count: Token-2022 looks for it just before the transfer, inside the
    /// program's instruction.
    #[error("{}", memo_required_line(.account, .program))]
    MemoRequired {
        account: Option<Pubkey>,
        program: Pubkey,
    },
    #[error("the transaction failed: {0}")]
    Failed(String),
    /// It landed in a block and failed there: its fee was paid, nothing else changed.
    #[error("{cause}\n  transaction {signature} landed and failed: {}, nothing else changed; its program logs: `solana confirm -v {signature}` (or -v)", fee_line(.fee))]
    LandedAndFailed {
        signature: Signature,
        fee: Option<u64>,
        cause: Box<ClientError>,
    },
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl ClientError {
    /// The error's number in the program that raised it, beside `name`, for scripts.
    pub fn number(&self) -> Option<u32> {
        match self {
            ClientError::Program { number, .. } => *number,
            ClientError::LandedAndFailed { cause, .. } => cause.number(),
            _ => None,
        }
    }

    /// A short name for reports: the program's error name where there is one.
    pub fn name(&self) -> String {
        match self {
            ClientError::Program { name, .. } => name.clone(),
            ClientError::CpiGuard { .. } => "CpiGuardTransferBlocked".into(),
            ClientError::MemoRequired { .. } => "NoMemo".into(),
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
            ClientError::LandedAndFailed { cause, .. } => cause.name(),
            ClientError::NothingAvailable(_) => "NothingAvailable".into(),
            ClientError::Usage(_) => "InvalidArguments".into(),
        }
    }
}

fn fee_line(fee: &Option<u64>) -> String {
    match fee {
        Some(lamports) => format!("its fee of {} SOL was paid", format_ui_amount(*lamports, 9)),
        None => "its fee was paid".into(),
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
    if let Some(named) = logs.iter().find_map(|line| anchor_error_in_log(line)) {
        return named;
    }
    if let TransactionError::InstructionError(index, InstructionError::Custom(code)) = error {
        let message = &transaction.message;
        let key = |at: u8| message.account_keys.get(usize::from(at));
        let instruction = message.instructions.get(usize::from(*index));
        let program = instruction.and_then(|instruction| key(instruction.program_id_index));
        if let (Some(instruction), Some(program)) = (instruction, program) {
            let names_token_2022 = instruction
                .accounts
                .iter()
                .any(|at| key(*at) == Some(&TOKEN_2022));
            if names_token_2022 {
                if let Some(refusal) = token_2022_refusal(program, instruction, message, *code) {
                    return refusal;
                }
            }
        }
        if let Some((name, message)) =
            program.and_then(|program| program_errors::describe(program, *code))
        {
            return ClientError::Program {
                name,
                message,
                number: Some(*code),
            };
        }
        // Without logs: neither program raises codes below 100 itself (Anchor's start there),
        // so at an instruction that passes a token program such a code is that program's, as
        // far as that program has it.
        let passes = |program: Pubkey| {
            instruction.is_some_and(|instruction| {
                instruction
                    .accounts
                    .iter()
                    .any(|at| key(*at) == Some(&program))
            })
        };
        let known = if passes(TOKEN_2022) {
            *code < 100
        } else {
            passes(anchor_spl::token::ID) && *code < SPL_TOKEN_ERRORS
        };
        if let Some(error) = TokenError::try_from(*code).ok().filter(|_| known) {
            return token_refusal(error);
        }
    }
    if let Some(named) = logs.iter().find_map(|line| token_error_in_log(line)) {
        return named;
    }
    if let TransactionError::InstructionError(index, inner) = error {
        let failed = failed_instruction(transaction, *index, inner);
        if ran_out_of_units(inner, logs) {
            let limit = unit_limit(transaction)
                .map_or_else(|| "the runtime's default".into(), |limit| limit.to_string());
            return ClientError::Failed(format!(
                "{failed}: the transaction ran out of compute units (its limit: {limit}); raise --with-compute-unit-limit, or leave it out so the limit is sized from a simulation"
            ));
        }
        return ClientError::Failed(failed);
    }
    ClientError::Failed(error.to_string())
}

/// Whether an instruction failed because the transaction's compute units ran out, as the
/// runtime reports it (by its error, or by the meter's log line).
fn ran_out_of_units(inner: &InstructionError, logs: &[String]) -> bool {
    matches!(inner, InstructionError::ComputationalBudgetExceeded)
        || (matches!(inner, InstructionError::ProgramFailedToComplete)
            && logs.iter().any(|line| {
                line.contains("exceeded CUs meter")
                    || line.contains("Computational budget exceeded")
            }))
}

/// The unit limit a transaction asked for (`set_compute_unit_limit`), if it did.
fn unit_limit(transaction: &Transaction) -> Option<u32> {
    let message = &transaction.message;
    message.instructions.iter().find_map(|instruction| {
        let program = message
            .account_keys
            .get(usize::from(instruction.program_id_index))?;
        (*program == solana_compute_budget_interface::ID)
            .then(|| crate::compute_budget::limit_set_by(&instruction.data))?
    })
}

/// "the command's instruction 1 (the staking pool program) failed: …": counted among the
/// instructions the command sends, not the compute-budget ones the client puts first, which
/// the runtime's own "Instruction 2" counts.
fn failed_instruction(transaction: &Transaction, index: u8, inner: &InstructionError) -> String {
    let message = &transaction.message;
    let program_of = |instruction: &CompiledInstruction| {
        message
            .account_keys
            .get(usize::from(instruction.program_id_index))
            .copied()
    };
    let budget = message
        .instructions
        .iter()
        .take_while(|instruction| {
            program_of(instruction) == Some(solana_compute_budget_interface::ID)
        })
        .count();
    let program = message
        .instructions
        .get(usize::from(index))
        .and_then(program_of);
    let name = match program {
        Some(p) if p == crate::program_ids::staking_pool() => "the staking pool program".into(),
        Some(p) if p == crate::program_ids::lending() => "the lending program".into(),
        Some(p) if p == anchor_spl::token::ID => "SPL Token".into(),
        Some(p) if p == TOKEN_2022 => "Token-2022".into(),
        Some(p) if p == anchor_spl::associated_token::ID => "the associated token program".into(),
        Some(p) if p == solana_system_interface::program::ID => "the System program".into(),
        Some(p) => format!("program {p}"),
        None => "an unknown program".into(),
    };
    match usize::from(index).checked_sub(budget) {
        Some(ours) => format!(
            "the command's instruction {} ({name}) failed: {inner}",
            ours + 1
        ),
        None => format!("the compute-budget instruction failed: {inner}"),
    }
}

const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;

/// SPL Token's error codes are 0..20 (`NotRentExempt` … `NonNativeNotSupported`), the same as
/// Token-2022's first ones; Token-2022 has more.
const SPL_TOKEN_ERRORS: u32 = 20;

/// A token program's refusal in a log line ("Program Tokenkeg… failed: custom program error:
/// 0x1"), by its name and message: SPL Token and Token-2022 share these codes. Raised inside a
/// program's transfer, it is otherwise reported as a bare hex code at an instruction index
/// that counts the compute-budget instructions the user never wrote.
fn token_error_in_log(line: &str) -> Option<ClientError> {
    let rest = line.strip_prefix("Program ")?;
    let (program, rest) = rest.split_once(' ')?;
    let hex = rest.strip_prefix("failed: custom program error: 0x")?;
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    let known = if program == TOKEN_2022.to_string() {
        true
    } else {
        program == anchor_spl::token::ID.to_string() && code < SPL_TOKEN_ERRORS
    };
    TokenError::try_from(code)
        .ok()
        .filter(|_| known)
        .map(token_refusal)
}

fn token_refusal(error: TokenError) -> ClientError {
    ClientError::Program {
        name: format!("{error:?}"),
        message: format!("the token program refused the transfer: {error}"),
        number: Some(error as u32),
    }
}

/// Token-2022's refusals of what the programs do to a user's token account, raised in their
/// transfer CPI and so reported at the program's instruction. Neither program raises codes
/// this low itself (Anchor's start at 100), and SPL Token's and the System program's stop well
/// below them, so at an instruction that passes Token-2022 they are Token-2022's.
fn token_2022_refusal(
    program: &Pubkey,
    instruction: &CompiledInstruction,
    message: &solana_message::Message,
    code: u32,
) -> Option<ClientError> {
    let flow = if code == TokenError::CpiGuardTransferBlocked as u32 {
        Flow::Out
    } else if code == TokenError::NoMemo as u32 {
        Flow::In
    } else {
        return None;
    };
    let account = user_token_account(program, instruction, message)
        .filter(|(_, known)| *known == flow)
        .map(|(account, _)| account);
    let program = *program;
    Some(match flow {
        Flow::Out => ClientError::CpiGuard { account, program },
        Flow::In => ClientError::MemoRequired { account, program },
    })
}

/// Which way tokens move between a user's token account and a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    /// Out of the user's account, with the user as authority.
    Out,
    /// Into the user's account.
    In,
}

/// The user's token account in a refused instruction the client builds, and which way tokens
/// were moving: found by building each such instruction with a marker account where the user's
/// goes, so it stays right whatever order the builders put accounts in.
fn user_token_account(
    program: &Pubkey,
    instruction: &CompiledInstruction,
    message: &solana_message::Message,
) -> Option<(Pubkey, Flow)> {
    let marker = Pubkey::new_from_array([0xa5; 32]);
    let other = Pubkey::default();
    let pool = PoolKeys {
        pool: other,
        stake_mint: other,
        token_program: other,
        vault: other,
        reward_vault: other,
        lending: None,
    };
    let market = MarketKeys {
        market: other,
        mint: other,
        token_program: other,
        liquidity_vault: other,
    };
    let built = [
        (ix::deposit(&pool, &other, &marker, 0), Flow::Out),
        (ix::fund_rewards(&pool, &other, &marker, 0), Flow::Out),
        (ix::withdraw(&pool, &other, &marker, 0), Flow::In),
        (ix::claim(&pool, &other, &marker), Flow::In),
        (lx::deposit(&market, &other, &marker, 0), Flow::Out),
        (lx::fund_interest(&market, &other, &marker, 0), Flow::Out),
        (lx::simulate_repay(&market, &other, &marker, 0), Flow::Out),
        (lx::withdraw(&market, &other, &marker, 0), Flow::In),
        (lx::simulate_borrow(&market, &other, &marker, 0), Flow::In),
    ];
    built.into_iter().find_map(|(reference, flow)| {
        // Every instruction's data starts with its 8-byte Anchor discriminator.
        let same = reference.program_id == *program
            && instruction.data.get(..8) == reference.data.get(..8);
        let at = reference
            .accounts
            .iter()
            .position(|meta| meta.pubkey == marker)?;
        let account = message
            .account_keys
            .get(usize::from(*instruction.accounts.get(at)?))?;
        same.then_some((*account, flow))
    })
}

/// Who moved the tokens, as a user knows it.
fn mover(program: &Pubkey) -> &'static str {
    if *program == crate::program_ids::staking_pool() {
        "the pool"
    } else if *program == crate::program_ids::lending() {
        "the lending market"
    } else {
        "the program"
    }
}

fn cpi_guard_line(account: &Option<Pubkey>, program: &Pubkey) -> String {
    let (which, address) = match account {
        Some(account) => (format!("your token account {account}"), account.to_string()),
        None => ("your paying token account".into(), "<ACCOUNT>".into()),
    };
    // The pool's deposit and fund-rewards take `--from`; the market's commands pay from your
    // associated token account.
    let elsewhere = if *program == crate::program_ids::staking_pool() {
        ", or pay from another token account (`--from`)"
    } else {
        ""
    };
    format!(
        "{which} has CPI Guard enabled (Token-2022): {} moves your tokens by cross-program invocation with you as the authority, which CPI Guard blocks; disable it with `spl-token disable-cpi-guard {address}`{elsewhere}",
        mover(program)
    )
}

fn memo_required_line(account: &Option<Pubkey>, program: &Pubkey) -> String {
    let (which, address) = match account {
        Some(account) => (format!("the destination {account}"), account.to_string()),
        None => ("the destination token account".into(), "<ACCOUNT>".into()),
    };
    // The pool's withdraw and claim take `--to`; the market's commands pay into your
    // associated token account.
    let elsewhere = if *program == crate::program_ids::staking_pool() {
        "receive into another token account (`--to`) or "
    } else {
        ""
    };
    format!(
        "{which} requires a memo on incoming transfers (Token-2022 required transfer memos): {} pays by cross-program invocation without one, and a memo sent beside it does not count; {elsewhere}disable it with `spl-token disable-required-transfer-memos {address}`",
        mover(program)
    )
}

/// Name and message from an Anchor error log line.
fn anchor_error_in_log(line: &str) -> Option<ClientError> {
    let rest = line.split("Error Code: ").nth(1)?;
    let (name, rest) = rest.split_once(". Error Number: ")?;
    let (number, message) = rest.split_once(". Error Message: ").unwrap_or((rest, ""));
    Some(ClientError::Program {
        name: name.to_string(),
        message: message.trim_end_matches('.').to_string(),
        number: number.trim().parse().ok(),
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_token_programs_refusal_is_named() {
        let line = format!(
            "Program {} failed: custom program error: 0x1",
            anchor_spl::token::ID
        );
        match token_error_in_log(&line) {
            Some(ClientError::Program {
                name,
                message,
                number,
            }) => {
                assert_eq!(name, "InsufficientFunds");
                assert_eq!(
                    message,
                    "the token program refused the transfer: Insufficient funds"
                );
                assert_eq!(number, Some(1));
            }
            other => panic!("{other:?}"),
        }
        let other = "Program 11111111111111111111111111111111 failed: custom program error: 0x1";
        assert!(token_error_in_log(other).is_none());
    }

    use super::*;

    #[test]
    fn anchor_error_logs_name_the_error() {
        let line = "Program log: AnchorError thrown in programs/mock-lending/src/instructions/deposit.rs:52. Error Code: DepositTooSmall. Error Number: 6001. Error Message: Deposit is too small to buy one share at the current exchange rate.";
        match anchor_error_in_log(line) {
            Some(ClientError::Program {
                name,
                message,
                number,
            }) => {
                assert_eq!(name, "DepositTooSmall");
                assert_eq!(
                    message,
                    "Deposit is too small to buy one share at the current exchange rate"
                );
                assert_eq!(number, Some(6001));
            }
            other => panic!("{other:?}"),
        }
        assert!(anchor_error_in_log("Program log: Instruction: Deposit").is_none());
    }

    #[test]
    fn a_failed_instruction_is_counted_among_the_commands_own() {
        let payer = Pubkey::new_unique();
        let instructions = [
            crate::compute_budget::instructions(200_000, 1).remove(0),
            crate::compute_budget::instructions(200_000, 1).remove(1),
            solana_system_interface::instruction::transfer(&payer, &Pubkey::new_unique(), 1),
        ];
        let transaction =
            Transaction::new_unsigned(solana_message::Message::new(&instructions, Some(&payer)));
        let error = TransactionError::InstructionError(2, InstructionError::InvalidArgument);
        let text = refusal(&transaction, &error, &[]).to_string();
        assert!(
            text.contains(
                "the command's instruction 1 (the System program) failed: invalid program argument"
            ),
            "{text}"
        );
    }

    #[test]
    fn running_out_of_compute_units_names_the_limit_and_the_fix() {
        let payer = Pubkey::new_unique();
        let instructions = [
            crate::compute_budget::instructions(5_000, 1).remove(0),
            crate::compute_budget::instructions(5_000, 1).remove(1),
            solana_system_interface::instruction::transfer(&payer, &Pubkey::new_unique(), 1),
        ];
        let transaction =
            Transaction::new_unsigned(solana_message::Message::new(&instructions, Some(&payer)));
        let expected =
            "the transaction failed: the command's instruction 1 (the System program) failed: \
             Computational budget exceeded: the transaction ran out of compute units (its \
             limit: 5000); raise --with-compute-unit-limit, or leave it out so the limit is \
             sized from a simulation";
        let exceeded =
            TransactionError::InstructionError(2, InstructionError::ComputationalBudgetExceeded);
        assert_eq!(refusal(&transaction, &exceeded, &[]).to_string(), expected);
        // A program whose meter ran out inside the VM reports it failed to complete, and logs
        // why; without that line it is another failure.
        let incomplete =
            TransactionError::InstructionError(2, InstructionError::ProgramFailedToComplete);
        let meter = ["Program x failed: exceeded CUs meter at BPF instruction".to_string()];
        let text = refusal(&transaction, &incomplete, &meter).to_string();
        assert!(
            text.contains("ran out of compute units (its limit: 5000)"),
            "{text}"
        );
        let text = refusal(&transaction, &incomplete, &[]).to_string();
        assert!(!text.contains("compute units"), "{text}");
    }

    /// The transaction a client sends, refused by Token-2022 with `code` inside its last
    /// instruction (the error is reported at the caller's instruction).
    fn refused_last(instructions: &[Instruction], code: u32) -> ClientError {
        let payer = Pubkey::new_unique();
        let transaction =
            Transaction::new_unsigned(solana_message::Message::new(instructions, Some(&payer)));
        let last = u8::try_from(instructions.len() - 1).unwrap();
        let error = TransactionError::InstructionError(last, InstructionError::Custom(code));
        refusal(&transaction, &error, &[])
    }

    #[test]
    fn token_2022_refusals_of_a_users_account_name_the_account_the_cause_and_the_fix() {
        // spl-token-2022-interface's `TokenError`, as the Token-2022 program raises it.
        assert_eq!(TokenError::NoMemo as u32, 36);
        assert_eq!(TokenError::CpiGuardTransferBlocked as u32, 42);
        let (creator, mint, owner, account) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        let keys = PoolKeys::derive(&creator, &mint, 0, &TOKEN_2022);

        let deposit = [
            ix::open_position(&keys, &owner),
            ix::deposit(&keys, &owner, &account, 1),
        ];
        let error = refused_last(&deposit, 42);
        assert!(
            matches!(error, ClientError::CpiGuard { account: Some(a), .. } if a == account),
            "{error:?}"
        );
        assert_eq!(error.name(), "CpiGuardTransferBlocked");
        let line = error.to_string();
        assert!(line.starts_with(&format!(
            "your token account {account} has CPI Guard enabled"
        )));
        assert!(line.contains("the pool moves your tokens by cross-program invocation"));
        assert!(line.contains(&format!("`spl-token disable-cpi-guard {account}`")));
        assert!(line.contains("(`--from`)"), "{line}");
        let error = refused_last(&[ix::fund_rewards(&keys, &owner, &account, 1)], 42);
        assert!(matches!(error, ClientError::CpiGuard { account: Some(a), .. } if a == account));

        for instruction in [
            ix::withdraw(&keys, &owner, &account, 1),
            ix::claim(&keys, &owner, &account),
        ] {
            let error = refused_last(&[instruction], 36);
            assert!(
                matches!(error, ClientError::MemoRequired { account: Some(a), .. } if a == account),
                "{error:?}"
            );
            assert_eq!(error.name(), "NoMemo");
            let line = error.to_string();
            assert!(line.starts_with(&format!("the destination {account} requires a memo")));
            assert!(line.contains("(`--to`)"), "{line}");
            assert!(line.contains(&format!(
                "`spl-token disable-required-transfer-memos {account}`"
            )));
        }

        // The market's commands have no --from/--to: only the extension's own fix is offered.
        let market = MarketKeys::derive(&mint, 0, &TOKEN_2022);
        let error = refused_last(&[lx::deposit(&market, &owner, &account, 1)], 42);
        assert!(matches!(error, ClientError::CpiGuard { account: Some(a), .. } if a == account));
        assert!(error
            .to_string()
            .contains("the lending market moves your tokens"));
        assert!(!error.to_string().contains("--from"));
        let error = refused_last(&[lx::withdraw(&market, &owner, &account, 1)], 36);
        assert!(
            matches!(error, ClientError::MemoRequired { account: Some(a), .. } if a == account)
        );

        // The wrong way round names no account rather than the wrong one.
        let error = refused_last(&[ix::deposit(&keys, &owner, &account, 1)], 36);
        assert!(matches!(
            error,
            ClientError::MemoRequired { account: None, .. }
        ));
        assert!(error
            .to_string()
            .starts_with("the destination token account requires a memo"));

        // Without Token-2022 in the instruction, the codes are not Token-2022's.
        let spl = PoolKeys::derive(&creator, &mint, 0, &anchor_spl::token::ID);
        let error = refused_last(&[ix::deposit(&spl, &owner, &account, 1)], 42);
        assert!(matches!(error, ClientError::Failed(_)), "{error:?}");
    }
}
