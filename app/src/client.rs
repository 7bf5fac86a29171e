//! `StakeClient`: every command of the CLI, every simulator step and the client tests go
//! through these methods, over any `Transport`. Each method checks what a user can get wrong
//! before sending (no such pool, not enough tokens, paused pool) and turns refusals into one
//! line that says what to do.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::{
    get_associated_token_address_with_program_id,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use mock_lending::state::Market;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use staking_pool::state::{Pool, PoolLimits, Position};
use thiserror::Error;

use crate::accounts::{self, DecodeError};
use crate::amount::{format_ui_amount, AmountError};
use crate::instructions as ix;
use crate::lending_instructions as lx;
use crate::program_errors;
use crate::projection::{self, PoolFigures, PositionFigures};
use crate::transport::{Simulation, Transport, TransportError};
use crate::{MarketKeys, PoolKeys};

#[derive(Debug, Error)]
pub enum ClientError {
    #[error(transparent)]
    Transport(TransportError),
    #[error("no pool at {pool} on {endpoint}: check the address, or create one with `stakepool create-pool`")]
    NoSuchPool { pool: Pubkey, endpoint: String },
    #[error("{owner} has no position in pool {pool}: open one with `stakepool deposit`")]
    NoPosition { pool: Pubkey, owner: Pubkey },
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
            ClientError::NoPosition { .. } => "NoPosition".into(),
            ClientError::NoSuchPool { .. } => "NoSuchPool".into(),
            ClientError::NoSuchMarket { .. } => "NoSuchMarket".into(),
            ClientError::NoSuchMint { .. } => "NoSuchMint".into(),
            ClientError::NoTokenAccount { .. } => "NoTokenAccount".into(),
            ClientError::NoLendingMarket(_) => "NoLendingMarket".into(),
            ClientError::ForeignMarket { .. } => "ForeignMarket".into(),
            ClientError::Amount(_) => "InvalidAmount".into(),
            ClientError::Decode(_) => "InvalidAccount".into(),
            ClientError::Transport(_) => "Unreachable".into(),
            ClientError::Failed(_) => "TransactionFailed".into(),
        }
    }
}

/// How a transaction ended.
#[derive(Debug)]
pub enum Sent {
    Confirmed(Signature),
    /// `--dry-run`: simulated, nothing sent.
    Simulated(Simulation),
}

/// What a command did, and anything the user should know about it.
#[derive(Debug)]
pub struct Outcome {
    pub sent: Sent,
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn signature(&self) -> Option<Signature> {
        match self.sent {
            Sent::Confirmed(signature) => Some(signature),
            Sent::Simulated(_) => None,
        }
    }
}

/// A pool as the client sees it: the account, its addresses and its mint's decimals.
#[derive(Clone, Debug)]
pub struct PoolContext {
    pub address: Pubkey,
    pub pool: Pool,
    pub keys: PoolKeys,
    pub decimals: u8,
}

impl PoolContext {
    pub fn ui(&self, raw: u64) -> String {
        format_ui_amount(raw, self.decimals)
    }
}

pub struct StakeClient<T: Transport> {
    pub transport: T,
    /// Pays fees and signs as owner, funder or admin.
    pub signer: Keypair,
    /// Simulate and report; send nothing.
    pub dry_run: bool,
    /// Check what a user can get wrong (paused pool, balance, missing position) before
    /// sending, to say what to do. The simulator turns it off so every refusal it reports is
    /// the programs' own.
    pub preflight: bool,
}

impl<T: Transport> StakeClient<T> {
    pub fn new(transport: T, signer: Keypair) -> Self {
        Self {
            transport,
            signer,
            dry_run: false,
            preflight: true,
        }
    }

    pub fn me(&self) -> Pubkey {
        self.signer.pubkey()
    }

    // ---- reading -------------------------------------------------------------------------

    /// The account at `address`, or `None` when there is none.
    pub async fn raw(
        &self,
        address: &Pubkey,
    ) -> Result<Option<solana_account::Account>, ClientError> {
        self.transport
            .account(address)
            .await
            .map_err(ClientError::Transport)
    }

    pub async fn now(&self) -> Result<i64, ClientError> {
        self.transport
            .unix_time()
            .await
            .map_err(ClientError::Transport)
    }

    pub async fn pool(&self, address: &Pubkey) -> Result<PoolContext, ClientError> {
        let account = self
            .raw(address)
            .await?
            .ok_or_else(|| ClientError::NoSuchPool {
                pool: *address,
                endpoint: self.transport.endpoint(),
            })?;
        if account.owner != staking_pool::ID {
            return Err(ClientError::NoSuchPool {
                pool: *address,
                endpoint: self.transport.endpoint(),
            });
        }
        let pool: Pool = accounts::anchor(&account.data, "staking pool")?;
        let decimals = self.mint_decimals(&pool.stake_mint).await?;
        Ok(PoolContext {
            address: *address,
            keys: PoolKeys::from_pool(*address, &pool),
            pool,
            decimals,
        })
    }

    /// The mint's account (its owner is the mint's token program).
    async fn mint_account(&self, mint: &Pubkey) -> Result<solana_account::Account, ClientError> {
        self.raw(mint)
            .await?
            .ok_or_else(|| ClientError::NoSuchMint {
                mint: *mint,
                endpoint: self.transport.endpoint(),
            })
    }

    pub async fn mint_decimals(&self, mint: &Pubkey) -> Result<u8, ClientError> {
        let account = self.mint_account(mint).await?;
        Ok(accounts::mint_decimals(&account.data)?)
    }

    pub async fn position(
        &self,
        ctx: &PoolContext,
        owner: &Pubkey,
    ) -> Result<Option<Position>, ClientError> {
        match self.raw(&ctx.keys.position(owner)).await? {
            Some(account) => Ok(Some(accounts::anchor(&account.data, "position")?)),
            None => Ok(None),
        }
    }

    pub async fn token_balance(&self, account: &Pubkey) -> Result<Option<u64>, ClientError> {
        match self.raw(account).await? {
            Some(account) => Ok(Some(accounts::token_amount(&account.data)?)),
            None => Ok(None),
        }
    }

    /// What `market`'s shares are worth at the rate it pays now, above what it holds (vault +
    /// outstanding loans): interest it would pay that nobody funded. The pool lends nothing
    /// into a market with a deficit and recalls what it can.
    pub async fn market_deficit(&self, market: &Pubkey) -> Result<u64, ClientError> {
        let (state, keys) = self.market(market).await?;
        let vault = self
            .token_balance(&keys.liquidity_vault)
            .await?
            .unwrap_or(0);
        let rate = state
            .payable_rate(self.now().await?, vault)
            .map_err(|e| ClientError::Failed(e.to_string()))?;
        let claims = mock_lending::exchange_rate::value_of(state.total_shares, rate)
            .ok_or_else(|| ClientError::Failed("market claims overflow".into()))?;
        let deficit = u128::from(claims).saturating_sub(state.assets(vault));
        Ok(u64::try_from(deficit).unwrap_or(u64::MAX))
    }

    pub async fn market(&self, address: &Pubkey) -> Result<(Market, MarketKeys), ClientError> {
        let account = self
            .raw(address)
            .await?
            .ok_or_else(|| ClientError::NoSuchMarket {
                market: *address,
                endpoint: self.transport.endpoint(),
            })?;
        let market: Market = accounts::anchor(&account.data, "lending market")?;
        let keys = MarketKeys {
            market: *address,
            mint: market.mint,
            token_program: market.token_program,
            liquidity_vault: market.liquidity_vault,
        };
        Ok((market, keys))
    }

    /// The pool's figures projected to the cluster's current time.
    pub async fn pool_figures(&self, ctx: &PoolContext) -> Result<PoolFigures, ClientError> {
        let now = self.now().await?;
        projection::pool_figures(&ctx.pool, now)
            .ok_or_else(|| ClientError::Failed("the pool's books overflow".into()))
    }

    /// `owner`'s position projected to the cluster's current time.
    pub async fn position_figures(
        &self,
        ctx: &PoolContext,
        owner: &Pubkey,
    ) -> Result<PositionFigures, ClientError> {
        let position = self
            .position(ctx, owner)
            .await?
            .ok_or(ClientError::NoPosition {
                pool: ctx.address,
                owner: *owner,
            })?;
        let now = self.now().await?;
        projection::position_figures(&ctx.pool, &position, now)
            .ok_or_else(|| ClientError::Failed("the position's books overflow".into()))
    }

    /// The signer's associated token account for the pool's mint.
    pub fn my_token_account(&self, ctx: &PoolContext) -> Pubkey {
        get_associated_token_address_with_program_id(
            &self.me(),
            &ctx.pool.stake_mint,
            &ctx.pool.token_program,
        )
    }

    fn create_my_token_account(&self, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
        create_associated_token_account_idempotent(&self.me(), &self.me(), mint, token_program)
    }

    /// Refuses early when `account` cannot pay `amount`.
    async fn require_balance(
        &self,
        account: &Pubkey,
        mint: &Pubkey,
        amount: u64,
        decimals: u8,
    ) -> Result<(), ClientError> {
        if !self.preflight {
            return Ok(());
        }
        let have = self
            .token_balance(account)
            .await?
            .ok_or(ClientError::NoTokenAccount {
                account: *account,
                mint: *mint,
            })?;
        if have < amount {
            return Err(ClientError::InsufficientBalance {
                account: *account,
                have: format_ui_amount(have, decimals),
                need: format_ui_amount(amount, decimals),
            });
        }
        Ok(())
    }

    // ---- sending -------------------------------------------------------------------------

    pub async fn send(
        &self,
        instructions: &[Instruction],
        notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        self.send_signed(instructions, &[], notes).await
    }

    /// Sends with extra signers (a new account's keypair, say) beside the client's signer.
    pub async fn send_signed(
        &self,
        instructions: &[Instruction],
        extra: &[&Keypair],
        notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        let blockhash = self
            .transport
            .latest_blockhash()
            .await
            .map_err(ClientError::Transport)?;
        let mut signers = vec![&self.signer];
        signers.extend_from_slice(extra);
        let transaction =
            Transaction::new_signed_with_payer(instructions, Some(&self.me()), &signers, blockhash);
        let sent = if self.dry_run {
            let simulation = self
                .transport
                .simulate(&transaction)
                .await
                .map_err(ClientError::Transport)?;
            if let Some(error) = &simulation.error {
                return Err(refusal(&transaction, error, &simulation.logs));
            }
            Sent::Simulated(simulation)
        } else {
            match self.transport.send(&transaction).await {
                Ok(signature) => Sent::Confirmed(signature),
                Err(TransportError::Refused(refused)) => {
                    return Err(refusal(&transaction, &refused.error, &refused.logs))
                }
                Err(other) => return Err(ClientError::Transport(other)),
            }
        };
        Ok(Outcome { sent, notes })
    }

    // ---- pool commands -------------------------------------------------------------------

    pub async fn create_pool(
        &self,
        mint: &Pubkey,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
    ) -> Result<(PoolKeys, Outcome), ClientError> {
        let mint_account = self.mint_account(mint).await?;
        let keys = PoolKeys::derive(&self.me(), mint, pool_id, &mint_account.owner);
        let outcome = self
            .send(
                &[ix::initialize_pool(
                    &self.me(),
                    &keys,
                    pool_id,
                    apr_bps,
                    limits,
                )],
                vec![],
            )
            .await?;
        Ok((keys, outcome))
    }

    pub async fn fund_rewards(
        &self,
        pool: &Pubkey,
        amount: u64,
        from: Option<Pubkey>,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let from = from.unwrap_or_else(|| self.my_token_account(&ctx));
        self.require_balance(&from, &ctx.pool.stake_mint, amount, ctx.decimals)
            .await?;
        self.send(
            &[ix::fund_rewards(&ctx.keys, &self.me(), &from, amount)],
            vec![],
        )
        .await
    }

    /// Deposits, opening the position in the same transaction the first time.
    pub async fn deposit(
        &self,
        pool: &Pubkey,
        amount: u64,
        from: Option<Pubkey>,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        if self.preflight {
            if ctx.pool.paused {
                return Err(ClientError::PoolPaused(*pool));
            }
            let limits = ctx.pool.limits;
            if amount < limits.min_deposit {
                return Err(ClientError::BelowMinimumDeposit {
                    minimum: ctx.ui(limits.min_deposit),
                });
            }
            let principal = ctx.pool.total_principal().unwrap_or(u64::MAX);
            let room = limits.deposit_cap.saturating_sub(principal);
            if amount > room {
                return Err(ClientError::DepositCapExceeded { room: ctx.ui(room) });
            }
        }
        let from = from.unwrap_or_else(|| self.my_token_account(&ctx));
        self.require_balance(&from, &ctx.pool.stake_mint, amount, ctx.decimals)
            .await?;
        let mut instructions = Vec::new();
        if self.position(&ctx, &self.me()).await?.is_none() {
            instructions.push(ix::open_position(&ctx.keys, &self.me()));
        }
        instructions.push(ix::deposit(&ctx.keys, &self.me(), &from, amount));
        self.send(&instructions, vec![]).await
    }

    /// Withdraws principal; a shortfall of idle principal is recalled from lending in the same
    /// transaction (the pool's lending accounts are always passed).
    /// Withdraws `amount` of principal. Returns the outcome and what reached the destination:
    /// read from its balance once confirmed, since a withdrawal that recalls from lending
    /// keeps that recall's share rounding (a base unit or two) in the pool; `amount` for a dry
    /// run.
    pub async fn withdraw(
        &self,
        pool: &Pubkey,
        amount: u64,
        to: Option<Pubkey>,
    ) -> Result<(Outcome, u64), ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        let (to, create) = self.destination(&ctx, to);
        let before = self.token_balance(&to).await?.unwrap_or(0);
        let mut instructions: Vec<Instruction> = create.into_iter().collect();
        instructions.push(ix::withdraw(&ctx.keys, &self.me(), &to, amount));
        let outcome = self.send(&instructions, vec![]).await?;
        let received = match outcome.sent {
            Sent::Simulated(_) => amount,
            Sent::Confirmed(_) => self
                .token_balance(&to)
                .await?
                .unwrap_or(0)
                .saturating_sub(before),
        };
        Ok((outcome, received))
    }

    pub async fn request_unbond(&self, pool: &Pubkey, amount: u64) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        self.send(&[ix::request_unbond(&ctx.keys, &self.me(), amount)], vec![])
            .await
    }

    /// Claims what the reward books can pay; says how much stays owed when they are short.
    /// Returns the outcome and the amount paid: read back from the position once confirmed
    /// (a claim lands later than it is prepared, so more has accrued), or the projection for a
    /// dry run.
    pub async fn claim(
        &self,
        pool: &Pubkey,
        to: Option<Pubkey>,
    ) -> Result<(Outcome, u64), ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        let before = self.position(&ctx, &self.me()).await?;
        let now = self.now().await?;
        let figures = before
            .as_ref()
            .and_then(|p| projection::position_figures(&ctx.pool, p, now));
        let mut notes = Vec::new();
        if let Some(f) = figures.filter(|f| f.owed > f.claimable) {
            notes.push(format!(
                "reward vault holds {}, you are owed {}: {} stays owed until the pool is funded",
                ctx.ui(f.claimable),
                ctx.ui(f.owed),
                ctx.ui(f.owed - f.claimable)
            ));
        }
        let (to, create) = self.destination(&ctx, to);
        let mut instructions: Vec<Instruction> = create.into_iter().collect();
        instructions.push(ix::claim(&ctx.keys, &self.me(), &to));
        let outcome = self.send(&instructions, notes).await?;
        let paid = match outcome.sent {
            Sent::Simulated(_) => figures.map_or(0, |f| f.claimable),
            Sent::Confirmed(_) => {
                let claimed_before = before.map_or(0, |p| p.total_claimed);
                let after = self.position(&ctx, &self.me()).await?;
                after.map_or(0, |p| p.total_claimed.saturating_sub(claimed_before))
            }
        };
        Ok((outcome, paid))
    }

    pub async fn compound(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        if self.preflight && ctx.pool.paused {
            return Err(ClientError::PoolPaused(*pool));
        }
        self.require_position(&ctx).await?;
        self.send(&[ix::compound(&ctx.keys, &self.me())], vec![])
            .await
    }

    pub async fn close_position(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        self.send(&[ix::close_position(&ctx.keys, &self.me())], vec![])
            .await
    }

    pub async fn rebalance(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::rebalance(&ctx.keys)], vec![]).await
    }

    pub async fn harvest(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::harvest(&ctx.keys)], vec![]).await
    }

    pub async fn recall_all(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::recall_all(&ctx.keys, &self.me())], vec![])
            .await
    }

    /// Attaches `market` to the pool. A market someone other than the pool's admin controls is
    /// refused unless `allow_foreign` says the admin trusts its authority: the authority's
    /// levers move the liquidity the pool lends.
    pub async fn set_lending_market(
        &self,
        pool: &Pubkey,
        market: &Pubkey,
        allow_foreign: bool,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let (state, _) = self.market(market).await?;
        if state.authority != ctx.pool.admin && !allow_foreign {
            return Err(ClientError::ForeignMarket {
                market: *market,
                authority: state.authority,
                admin: ctx.pool.admin,
            });
        }
        self.send(
            &[ix::set_lending_market(&ctx.keys, &self.me(), market)],
            vec![],
        )
        .await
    }

    pub async fn set_apr(&self, pool: &Pubkey, apr_bps: u32) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::set_apr(&ctx.keys, &self.me(), apr_bps)], vec![])
            .await
    }

    pub async fn set_params(
        &self,
        pool: &Pubkey,
        limits: PoolLimits,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::set_params(&ctx.keys, &self.me(), limits)], vec![])
            .await
    }

    pub async fn set_paused(&self, pool: &Pubkey, paused: bool) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let instruction = if paused {
            ix::pause(&ctx.keys, &self.me())
        } else {
            ix::unpause(&ctx.keys, &self.me())
        };
        self.send(&[instruction], vec![]).await
    }

    pub async fn transfer_admin(
        &self,
        pool: &Pubkey,
        new_admin: &Pubkey,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(
            &[ix::transfer_admin(&ctx.keys, &self.me(), new_admin)],
            vec![],
        )
        .await
    }

    pub async fn accept_admin(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::accept_admin(&ctx.keys, &self.me())], vec![])
            .await
    }

    async fn require_position(&self, ctx: &PoolContext) -> Result<(), ClientError> {
        if self.preflight && self.position(ctx, &self.me()).await?.is_none() {
            return Err(ClientError::NoPosition {
                pool: ctx.address,
                owner: self.me(),
            });
        }
        Ok(())
    }

    async fn lending_pool(&self, pool: &Pubkey) -> Result<PoolContext, ClientError> {
        let ctx = self.pool(pool).await?;
        if ctx.keys.lending.is_none() {
            return Err(ClientError::NoLendingMarket(*pool));
        }
        Ok(ctx)
    }

    /// Where tokens paid out go: the given account, or the signer's associated token account
    /// (created in the same transaction if it does not exist).
    fn destination(&self, ctx: &PoolContext, to: Option<Pubkey>) -> (Pubkey, Option<Instruction>) {
        match to {
            Some(to) => (to, None),
            None => (
                self.my_token_account(ctx),
                Some(self.create_my_token_account(&ctx.pool.stake_mint, &ctx.pool.token_program)),
            ),
        }
    }

    // ---- lending market commands ---------------------------------------------------------

    pub async fn init_market(
        &self,
        mint: &Pubkey,
        market_id: u16,
        supply_apr_bps: u32,
    ) -> Result<(MarketKeys, Outcome), ClientError> {
        let mint_account = self.mint_account(mint).await?;
        let keys = MarketKeys::derive(mint, market_id, &mint_account.owner);
        let outcome = self
            .send(
                &[lx::init_market(
                    &keys,
                    &self.me(),
                    market_id,
                    supply_apr_bps,
                )],
                vec![],
            )
            .await?;
        Ok((keys, outcome))
    }

    /// The market's mint decimals and the signer's token account for it.
    async fn market_side(&self, keys: &MarketKeys) -> Result<(u8, Pubkey), ClientError> {
        let decimals = self.mint_decimals(&keys.mint).await?;
        Ok((
            decimals,
            get_associated_token_address_with_program_id(
                &self.me(),
                &keys.mint,
                &keys.token_program,
            ),
        ))
    }

    pub async fn market_deposit(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (decimals, mine) = self.market_side(&keys).await?;
        self.require_balance(&mine, &keys.mint, amount, decimals)
            .await?;
        let mut instructions = Vec::new();
        if self.raw(&keys.receipt(&self.me())).await?.is_none() {
            instructions.push(lx::open_receipt(&keys, &self.me(), &self.me()));
        }
        instructions.push(lx::deposit(&keys, &self.me(), &mine, amount));
        self.send(&instructions, vec![]).await
    }

    pub async fn market_withdraw(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (_, mine) = self.market_side(&keys).await?;
        let create = self.create_my_token_account(&keys.mint, &keys.token_program);
        self.send(
            &[create, lx::withdraw(&keys, &self.me(), &mine, amount)],
            vec![],
        )
        .await
    }

    pub async fn market_fund_interest(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        self.pay_into_market(market, amount, lx::fund_interest)
            .await
    }

    /// The market authority pays `amount` from its own token account into the market (interest
    /// or a loan repayment): balance checked first, then the instruction `build` makes.
    async fn pay_into_market(
        &self,
        market: &Pubkey,
        amount: u64,
        build: fn(&MarketKeys, &Pubkey, &Pubkey, u64) -> Instruction,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (decimals, mine) = self.market_side(&keys).await?;
        self.require_balance(&mine, &keys.mint, amount, decimals)
            .await?;
        self.send(&[build(&keys, &self.me(), &mine, amount)], vec![])
            .await
    }

    pub async fn market_borrow(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (_, mine) = self.market_side(&keys).await?;
        let create = self.create_my_token_account(&keys.mint, &keys.token_program);
        self.send(
            &[
                create,
                lx::simulate_borrow(&keys, &self.me(), &mine, amount),
            ],
            vec![],
        )
        .await
    }

    /// The authority's test lever: the market pays its raw index (`true`) or only what it
    /// holds (`false`).
    pub async fn market_set_unbacked(
        &self,
        market: &Pubkey,
        unbacked: bool,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        self.send(
            &[lx::simulate_unbacked_index(&keys, &self.me(), unbacked)],
            vec![],
        )
        .await
    }

    pub async fn market_repay(&self, market: &Pubkey, amount: u64) -> Result<Outcome, ClientError> {
        self.pay_into_market(market, amount, lx::simulate_repay)
            .await
    }
}

/// A refused transaction as one line: the failing program's error name and message. Anchor
/// logs them ("Error Code: X. Error Number: N. Error Message: M."), which also names errors
/// raised inside a CPI; without logs (in-process runs) the code is looked up for the program
/// of the failing instruction.
fn refusal(transaction: &Transaction, error: &TransactionError, logs: &[String]) -> ClientError {
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
