use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use mock_lending::program::MockLending;
use mock_lending::state::{Market, Receipt};

use crate::allocation::{reserve_target, withdrawal_recall};
use crate::errors::StakingError;
use crate::events::Withdrawn;
use crate::instructions::lending_books::{recall_for_withdrawal, PoolTokens};
use crate::instructions::owner_position::*;
use crate::lending::LendingMarket;
use crate::state::Position;
use crate::transfers::transfer_out;

owner_position_accounts! {
    pub struct Withdraw<'info> {
        pool, position, owner, tokens: stake_mint, token_program;
        #[account(mut, address = pool.vault @ StakingError::InvalidVault)]
        pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
        /// Where the principal goes: any account of the stake mint the owner chooses.
        #[account(
            mut,
            token::mint = stake_mint,
            token::token_program = token_program,
        )]
        pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,

        // The pool's lending accounts: needed when idle principal is short, or when the
        // withdrawal would leave idle below the reserve target, which it then restores
        // (`allocation::withdrawal_recall`). When given, each is pinned like in `rebalance`.
        #[account(mut, address = pool.reward_vault @ StakingError::InvalidRewardVault)]
        pub reward_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
        #[account(mut, address = pool.lending_market @ StakingError::InvalidLendingMarket)]
        pub market: Option<Box<Account<'info, Market>>>,
        #[account(
            mut,
            constraint = receipt.is_at(&receipt.key(), &pool.lending_market, &pool.key())
                @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        )]
        pub receipt: Option<Box<Account<'info, Receipt>>>,
        #[account(
            mut,
            constraint = market.as_ref().map(|m| m.liquidity_vault) == Some(market_vault.key())
                @ StakingError::InvalidLendingVault,
        )]
        pub market_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
        pub lending_program: Option<Program<'info, MockLending>>,
    }
}

/// How a withdrawal splits between unlocked unbonding principal and earning principal.
/// Unbonding principal goes first: it no longer earns, so the owner loses nothing by it.
/// Earning principal can only be withdrawn directly in a pool without an unbonding period.
pub fn split_withdrawal(
    position: &Position,
    amount: u64,
    unbonding_period: i64,
    now: i64,
) -> Result<(u64, u64)> {
    let principal = position.principal().ok_or(StakingError::MathOverflow)?;
    require!(amount <= principal, StakingError::InsufficientStake);
    // With no unbonding period any more, nothing stays locked.
    let unlocked = if now >= position.unlock_ts || unbonding_period == 0 {
        position.unbonding
    } else {
        0
    };
    let from_unbonding = amount.min(unlocked);
    let from_staked = amount - from_unbonding;
    require!(
        from_staked == 0 || unbonding_period == 0,
        StakingError::StillUnbonding
    );
    require!(from_staked <= position.staked, StakingError::StillUnbonding);
    Ok((from_unbonding, from_staked))
}

pub fn handler(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    // The market prices shares with the clock as it is; the pool's own books never run
    // backwards (`last_update_ts`). Each uses its own.
    let clock = Clock::get()?.unix_timestamp;
    let index = pool.accrue(clock)?;
    let now = pool.last_update_ts;
    let (from_unbonding, from_staked) =
        split_withdrawal(position, amount, pool.limits.unbonding_period, now)?;
    position.settle(index)?;

    let idle = pool.idle_principal().ok_or(StakingError::MathOverflow)?;
    let target_after = reserve_target(
        pool.total_staked.saturating_sub(from_staked),
        pool.total_unbonding.saturating_sub(from_unbonding),
        pool.limits.reserve_bps,
    );
    let plan = withdrawal_recall(amount, idle, pool.lent_principal, target_after);
    let mut recalled = 0;
    let mut recall_cost = 0;
    if plan.wanted() {
        let (Some(reward_vault), Some(market), Some(receipt), Some(market_vault), Some(_)) = (
            accounts.reward_vault.as_mut(),
            accounts.market.as_mut(),
            accounts.receipt.as_mut(),
            accounts.market_vault.as_mut(),
            accounts.lending_program.as_ref(),
        ) else {
            return err!(StakingError::LendingAccountsMissing);
        };
        let mut lending = LendingMarket {
            market,
            receipt,
            market_vault,
        };
        let mut tokens = PoolTokens {
            mint: stake_mint,
            token_program,
            vault: &mut accounts.vault,
            reward_vault,
        };
        recalled = plan.amount(pool.lent_principal, lending.view(clock)?);
        if recalled > 0 {
            recall_cost =
                recall_for_withdrawal(pool, &mut lending, &mut tokens, recalled, amount, clock)?;
        }
    }

    position.unbonding -= from_unbonding;
    position.staked -= from_staked;
    pool.total_unbonding = pool
        .total_unbonding
        .checked_sub(from_unbonding)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked = pool
        .total_staked
        .checked_sub(from_staked)
        .ok_or(StakingError::MathOverflow)?;

    // The recall's rounding stays in the vault, backing lent principal (see
    // `recall_for_withdrawal`); everything else goes to the owner.
    let paid = amount - recall_cost;
    if paid > 0 {
        transfer_out(
            pool,
            token_program,
            stake_mint,
            &mut accounts.vault,
            &accounts.owner_token,
            paid,
        )?;
    }

    emit!(Withdrawn {
        pool: pool.key(),
        owner: position.owner,
        amount,
        recalled,
        recall_cost,
        paid,
        position_staked: position.staked,
        position_unbonding: position.unbonding,
        total_staked: pool.total_staked,
        total_unbonding: pool.total_unbonding,
    });
    Ok(())
}
