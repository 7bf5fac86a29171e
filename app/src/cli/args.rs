//! Arguments, following the Solana CLI's conventions (`-u/--url` with monikers, `-k/--keypair`,
//! `-C/--config`, `--commitment`, `--with-compute-unit-price`, `--output
//! display|json|json-compact`).
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use stakepool_client::client::changes::{kind_name, kind_named};
use stakepool_client::limits::LimitSettings;
use staking_pool::state::ChangeKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Display,
    Json,
    JsonCompact,
    /// `history` only: one row per entry, for accounting
    Csv,
}

impl Command {
    /// The amount a command was given, as typed (`ALL` included), if it takes one.
    pub fn amount(&self) -> Option<&str> {
        match self {
            Command::FundRewards { amount, .. }
            | Command::Deposit { amount, .. }
            | Command::Withdraw { amount, .. }
            | Command::RequestUnbond { amount, .. } => Some(amount),
            Command::Market(
                MarketCommand::Deposit { amount, .. }
                | MarketCommand::Withdraw { amount, .. }
                | MarketCommand::FundInterest { amount, .. }
                | MarketCommand::Borrow { amount, .. }
                | MarketCommand::Repay { amount, .. }
                | MarketCommand::Default { amount, .. }
                | MarketCommand::Recover { amount, .. },
            ) => Some(amount),
            _ => None,
        }
    }

    /// The pool a command acts on, if any.
    pub fn pool(&self) -> Option<Pubkey> {
        match self {
            Command::FundRewards { pool, .. }
            | Command::Deposit { pool, .. }
            | Command::Withdraw { pool, .. }
            | Command::RequestUnbond { pool, .. }
            | Command::Claim { pool, .. }
            | Command::Compound { pool }
            | Command::ClosePosition { pool }
            | Command::Rebalance { pool }
            | Command::Harvest { pool }
            | Command::SetApr { pool, .. }
            | Command::SetParams { pool, .. }
            | Command::Pause { pool }
            | Command::Unpause { pool }
            | Command::TransferAdmin { pool, .. }
            | Command::AcceptAdmin { pool }
            | Command::RecallAll { pool }
            | Command::SetLendingMarket { pool, .. }
            | Command::ExecuteChange { pool, .. }
            | Command::CancelChange { pool, .. }
            | Command::Show(Show::Pool { pool })
            | Command::Show(Show::Position { pool, .. })
            | Command::History {
                pool: Some(pool), ..
            } => Some(*pool),
            _ => None,
        }
    }
}

impl OutputFormat {
    /// Machine output: failures are printed as JSON too.
    pub fn is_json(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::JsonCompact)
    }
}

/// Where the options every command shares are listed in `--help`, apart from its own.
const GLOBAL: &str = "Cluster and signing options";

#[derive(Debug, Parser)]
#[command(
    name = "stakepool",
    version,
    about = "Fixed-rate staking pool on Solana: stake, claim, crank, administer, and simulate in-process",
    after_help = "Amounts are in tokens (1.5), using the mint's decimals. Without --url/--keypair the Solana CLI's config file decides, as for `solana`."
)]
pub struct Cli {
    /// Cluster: a JSON-RPC URL or a moniker (localhost/l, devnet/d, testnet/t, mainnet-beta/m)
    #[arg(
        short = 'u',
        long = "url",
        global = true, help_heading = GLOBAL,
        value_name = "URL_OR_MONIKER"
    )]
    pub url: Option<String>,
    /// Keypair that signs and pays fees: a file, `stdin` (its JSON bytes), `prompt://` (a seed
    /// phrase, along m/44'/501'; `prompt://?key=0/0` for a wallet app's first account), `ASK`
    /// (a seed phrase, legacy derivation) or `usb://ledger[?key=0/0]` (built with
    /// `--features ledger`) [default: the config file's keypair_path]
    #[arg(short = 'k', long, global = true, help_heading = GLOBAL, value_name = "KEYPAIR")]
    pub keypair: Option<String>,
    /// Keypair that pays the transaction fees instead of --keypair (same sources)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "KEYPAIR")]
    pub fee_payer: Option<String>,
    /// Take a seed phrase that is not BIP39 (not from its word lists, or failing its
    /// checksum) as typed
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub skip_seed_phrase_validation: bool,
    /// Solana CLI config file [default: ~/.config/solana/cli/config.yml]
    #[arg(short = 'C', long, global = true, help_heading = GLOBAL, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Commitment that reads and confirmations wait for [default: the config file's
    /// commitment, else confirmed]
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "COMMITMENT_LEVEL",
          value_parser = ["processed", "confirmed", "finalized"])]
    pub commitment: Option<String>,
    /// Priority fee: the compute-unit price in micro-lamports, or `auto` (the 75th percentile
    /// of recent fees paid on the accounts the transaction writes) [default: the config
    /// file's compute_unit_price, else none]. The compute-unit limit is always sized from a
    /// simulation.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "MICRO_LAMPORTS|auto")]
    pub with_compute_unit_price: Option<String>,
    /// Output format; amounts in JSON are strings (raw base units in `*_raw`), safe beyond 2^53;
    /// csv for `history`
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value = "display")]
    pub output: OutputFormat,
    /// Simulate the transaction and print the result; send nothing
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub dry_run: bool,
    /// Print the program logs of a failed or simulated transaction, and the pool's derived
    /// addresses, on stderr
    #[arg(short = 'v', long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,
    /// Sign with the keypairs given and print the signatures, the blockhash, the compute
    /// budget and the message (base64/base58, for a multisig proposal); send nothing
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub sign_only: bool,
    /// Build on this blockhash (offline signing; completing a --sign-only transaction)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "BLOCKHASH",
          value_parser = super::signing::parse_blockhash)]
    pub blockhash: Option<stakepool_client::transport::Hash>,
    /// A signature made by --sign-only elsewhere; pass the signer's public key as -k or
    /// --fee-payer
    #[arg(long = "signer", global = true, help_heading = GLOBAL, value_name = "PUBKEY=SIGNATURE",
          value_parser = super::signing::parse_presigned)]
    pub signers: Vec<(Pubkey, stakepool_client::transport::Signature)>,
    /// Compute-unit limit instead of one sized by simulation (as --sign-only printed it)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "UNITS")]
    pub with_compute_unit_limit: Option<u32>,
    /// The staking pool program's address, for a deployment built with its own keys
    /// [default: the id this CLI was built with]
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PROGRAM_ID")]
    pub program_id: Option<Pubkey>,
    /// The lending program's address, for a deployment built with its own keys [default: the
    /// id this CLI was built with]
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PROGRAM_ID")]
    pub lending_program_id: Option<Pubkey>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a pool for a mint; you become its admin
    ///
    /// Limits left out take the defaults: reserve 10000 bps (nothing lent), no minimum
    /// deposit, no cap, no unbonding period, no notice period.
    CreatePool {
        /// The token mint
        #[arg(long)]
        mint: Pubkey,
        /// Lets one creator run several pools (tiers) for one mint
        #[arg(long, default_value_t = 0)]
        pool_id: u16,
        /// Reward rate a year: basis points (1000) or a percentage (10%)
        #[arg(long, visible_alias = "apr", value_name = "BPS|PERCENT%",
              value_parser = stakepool_client::rate::parse_apr)]
        apr_bps: u32,
        // The limits, as every front end names them (`LimitSettings`).
        #[command(flatten)]
        limits: LimitSettings,
    },
    /// Add tokens to the pool's reward vault (anyone may)
    FundRewards {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Tokens, or ALL: everything the paying token account holds
        #[arg(value_name = "AMOUNT|ALL")]
        amount: String,
        /// Token account to pay from [default: your associated token account]
        #[arg(long)]
        from: Option<Pubkey>,
    },
    /// Deposit tokens (opens your position the first time)
    Deposit {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Tokens, or ALL: everything the paying token account holds
        #[arg(value_name = "AMOUNT|ALL")]
        amount: String,
        /// Token account to pay from [default: your associated token account]
        #[arg(long)]
        from: Option<Pubkey>,
    },
    /// Withdraw principal (recalls from lending in the same transaction when needed). A full
    /// exit: `withdraw ALL`, then `claim`, then `close-position`
    Withdraw {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Tokens, or ALL: everything withdrawable now (unlocked unbonding; all staked in a
        /// pool without an unbonding period)
        #[arg(value_name = "AMOUNT|ALL")]
        amount: String,
        /// Token account to receive [default: your associated token account]
        #[arg(long)]
        to: Option<Pubkey>,
        /// Take the lent part as shares of the pool's lending market instead of waiting for it
        /// to pay (when it is illiquid): into your own receipt there, opened if needed; the
        /// rest in tokens. Redeem the shares later with `market withdraw`
        #[arg(long)]
        in_kind: bool,
    },
    /// Start the unbonding timer for an amount (pools with an unbonding period)
    RequestUnbond {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Tokens, or ALL: everything staked
        #[arg(value_name = "AMOUNT|ALL")]
        amount: String,
        /// Go ahead although principal is already unbonding: one timer per position, so a new
        /// request pushes its unlock back to a full unbonding period from now
        #[arg(long)]
        restart_timer: bool,
    },
    /// Claim owed rewards (what the reward vault cannot pay yet stays owed)
    Claim {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Token account to receive [default: your associated token account, created if needed]
        #[arg(long)]
        to: Option<Pubkey>,
    },
    /// Add owed rewards to your principal
    Compound {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Close your empty position and get its rent back
    ClosePosition {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Crank: lend idle tokens above the reserve, or recall what is missing below it
    Rebalance {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Crank: move lending interest into the reward vault
    Harvest {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Crank: write a loss the lending market shows off every position, pro rata (any
    /// instruction that reads the market does it too)
    RecogniseLoss {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Admin: change the reward rate from now on
    SetApr {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// The new rate a year: basis points (500) or a percentage (5%)
        #[arg(value_name = "BPS|PERCENT%", value_parser = stakepool_client::rate::parse_apr)]
        apr_bps: u32,
    },
    /// Admin: change limits; what you leave out stays as it is
    SetParams {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        // The limits to change, as every front end names them; those left out stay.
        #[command(flatten)]
        limits: LimitSettings,
    },
    /// Admin: stop deposits (withdraw and claim keep working)
    Pause {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Admin: allow deposits again
    Unpause {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Admin: name the next admin, who must accept
    TransferAdmin {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// The next admin's public key
        new_admin: Pubkey,
    },
    /// Become the pool's admin after a transfer-admin naming you
    AcceptAdmin {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Admin: bring everything back from lending
    RecallAll {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
    },
    /// Anyone: apply a change the admin announced, once its notice period has passed
    ExecuteChange {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Which announced change
        #[arg(value_parser = change_kind())]
        kind: ChangeKind,
    },
    /// Admin: withdraw an announced change before it applies
    CancelChange {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Which announced change
        #[arg(value_parser = change_kind())]
        kind: ChangeKind,
    },
    /// Admin: choose the lending market (only while nothing is lent)
    SetLendingMarket {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// The lending market's address
        market: Pubkey,
        /// Attach a market whose authority is not the pool's admin (its authority can move
        /// the liquidity the pool lends)
        #[arg(long)]
        allow_foreign_market: bool,
    },
    /// Show a pool or a position, projected to now
    #[command(subcommand)]
    Show(Show),
    /// Every pool, or those of a mint or an admin (getProgramAccounts; needs no keypair)
    Pools {
        /// Only pools of this mint
        #[arg(long)]
        mint: Option<Pubkey>,
        /// Only pools this key administers
        #[arg(long)]
        admin: Option<Pubkey>,
    },
    /// Every pool where OWNER has a position, with principal and owed now
    Positions {
        /// Whose positions [default: yours]
        owner: Option<Pubkey>,
    },
    /// OWNER's deposits, withdrawals, claims, compounds, unbonding requests and closes, with
    /// amounts and dates, read from the cluster's transaction history (`--output csv` for
    /// accounting). Reaches as far back as the RPC node keeps transactions
    History {
        /// Whose history [default: yours]
        owner: Option<Pubkey>,
        /// Only this pool (read from the position's transactions, which outlive its close)
        /// [default: every pool, read from the owner's transactions]
        #[arg(long)]
        pool: Option<Pubkey>,
        /// Read at most this many transactions, newest first
        #[arg(long, default_value_t = 1_000)]
        limit: usize,
    },
    /// TEST ONLY: the mock lending market, for localnet/devnet (it lets its authority take
    /// the liquidity; never lend real funds to it)
    #[command(subcommand)]
    Market(MarketCommand),
    /// Print a completion script for your shell, e.g. `stakepool completion bash >
    /// ~/.local/share/bash-completion/completions/stakepool`
    Completion {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Run a scenario against the real programs in-process (no validator); the built-in one
    /// when no file is given
    Simulate {
        /// Scenario TOML file (see app/scenarios/)
        scenario: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Show {
    /// Principal, idle vs lent, rewards funded, owed and runway
    Pool {
        /// The pool's address
        pool: Pubkey,
    },
    /// A position: principal, owed now, claimable, unbonding
    Position {
        /// The pool's address
        #[arg(long)]
        pool: Pubkey,
        /// Whose position [default: yours]
        owner: Option<Pubkey>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MarketCommand {
    /// Create a market for a mint; you become its authority
    Init {
        /// The token mint
        #[arg(long)]
        mint: Pubkey,
        /// Lets one authority run several markets for one mint
        #[arg(long, default_value_t = 0)]
        market_id: u16,
        /// Interest rate a year: basis points (800) or a percentage (8%)
        #[arg(long, visible_alias = "apr", value_name = "BPS|PERCENT%",
              value_parser = stakepool_client::rate::parse_apr)]
        apr_bps: u32,
    },
    /// Supply tokens to the market
    Deposit {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Take supplied tokens back
    Withdraw {
        /// The lending market's address
        market: Pubkey,
        /// Tokens, or ALL: what your receipt is worth now, at most what the vault holds
        #[arg(value_name = "AMOUNT|ALL")]
        amount: String,
    },
    /// Authority: add the tokens that back the interest
    FundInterest {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Authority: simulate borrowers taking liquidity out
    Borrow {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Authority: simulate borrowers paying liquidity back
    Repay {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Authority: write outstanding loans off as bad debt (a simulated default: every share
    /// of the market is worth less, and pools lending to it recognise a loss)
    Default {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Authority: put back loans written off (a recovery; pools take it as interest)
    Recover {
        /// The lending market's address
        market: Pubkey,
        /// Tokens
        amount: String,
    },
    /// Authority: make the market pay its index whether or not it holds it (`on`), as an
    /// unsound market would, or only what it holds again (`off`): for testing the pool
    Unbacked {
        /// The lending market's address
        market: Pubkey,
        /// `on`: pay the index whether or not the market holds it; `off`: only what it holds
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
}

/// A kind of announced change, by the client's name for it (`kind_name`); help lists them all.
fn change_kind() -> impl TypedValueParser<Value = ChangeKind> {
    PossibleValuesParser::new(ChangeKind::ALL.map(kind_name))
        .try_map(|name| kind_named(&name).ok_or(format!("no change is called '{name}'")))
}
