use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::program::MockLending;
use mock_lending::state::{Market, Receipt};
use program_accounts::token_moves::transfer_out_of_vault;

use crate::allocation::{reserve_target, withdrawal_recall};
use crate::errors::StakingError;
use crate::events::Withdrawn;
use crate::lending_books::{recall_for_withdrawal, recognise_loss_if_lent, PoolTokens};
use crate::principal;
use crate::state::{LoadedPool, Pool, Position};

/// Accounts as `Deposit` declares them (docs/accounts.md), with the reward vault and the
/// lending program optional beside the market's accounts.
#[derive(Accounts)]
pub struct Withdraw<'info> {
    #[account(mut, constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, constraint = position.load()?.is_at(&position.key(), &pool.key(), &owner.key()) @ StakingError::InvalidPositionAddress)]
    pub position: AccountLoader<'info, Position>,
    pub owner: Signer<'info>,
    #[account(address = pool.load()?.stake_mint @ StakingError::InvalidMint)]
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.load()?.token_program @ StakingError::InvalidTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    #[account(mut, address = pool.load()?.vault @ StakingError::InvalidVault)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the principal: any token account of the stake mint the owner chooses.
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    // With the market accounts: needed whenever principal is lent (to recognise a loss
    // first), and to recall when idle principal is short or the withdrawal would leave idle
    // below the reserve target, which it then restores (`allocation::withdrawal_recall`).
    #[account(mut, address = pool.load()?.reward_vault @ StakingError::InvalidRewardVault)]
    pub reward_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    pub lending_program: Option<Program<'info, MockLending>>,
    /// The pool's lending market, with its receipt and vault after it: the pool's fields of the
    /// same name. A pool without a market stores this program's id in each, which Anchor reads
    /// as an absent account; they may be left out (this program's id) while nothing is lent.
    #[account(mut, address = pool.load()?.lending_market @ StakingError::InvalidLendingMarket)]
    pub lending_market: Option<Box<Account<'info, Market>>>,
    #[account(mut, address = pool.load()?.receipt @ StakingError::InvalidLendingReceipt)]
    pub receipt: Option<Box<Account<'info, Receipt>>>,
    #[account(mut, address = pool.load()?.market_vault @ StakingError::InvalidLendingVault)]
    pub market_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
}

/// How a withdrawal of `amount` base units splits between unlocked unbonding principal and
/// earning principal, and the shares it takes from each (`principal::shares_for_withdrawal`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalSplit {
    pub from_unbonding: u64,
    pub from_staked: u64,
    pub unbonding_shares: u64,
    pub staked_shares: u64,
}

/// Splits a withdrawal at the pool's principal `index`. Unbonding principal goes first: it no
/// longer earns, so the owner loses nothing by it. Earning principal can only be withdrawn
/// directly in a pool without an unbonding period.
pub fn split_withdrawal(
    position: &Position,
    index: u128,
    amount: u64,
    unbonding_period: i64,
    now: i64,
) -> Result<WithdrawalSplit> {
    let unbonding = principal::value_of(position.unbonding_shares, index);
    let staked = principal::value_of(position.staked_shares, index);
    require!(
        u128::from(amount) <= u128::from(unbonding) + u128::from(staked),
        StakingError::InsufficientStake
    );
    // With no unbonding period any more, nothing stays locked.
    let unlocked = if now >= position.unlock_ts || unbonding_period == 0 {
        unbonding
    } else {
        0
    };
    let from_unbonding = amount.min(unlocked);
    let from_staked = amount - from_unbonding;
    require!(
        from_staked == 0 || unbonding_period == 0,
        StakingError::StillUnbonding
    );
    require!(from_staked <= staked, StakingError::StillUnbonding);
    let shares = |part, held| {
        principal::shares_for_withdrawal(part, held, index).ok_or(StakingError::MathOverflow)
    };
    Ok(WithdrawalSplit {
        from_unbonding,
        from_staked,
        unbonding_shares: shares(from_unbonding, position.unbonding_shares)?,
        staked_shares: shares(from_staked, position.staked_shares)?,
    })
}

/// Takes the shares of `split` out of the position and the pool's totals.
pub fn take_shares(
    pool: &mut Pool,
    position: &mut Position,
    split: &WithdrawalSplit,
) -> Result<()> {
    position.unbonding_shares -= split.unbonding_shares;
    position.staked_shares -= split.staked_shares;
    pool.total_unbonding_shares = pool
        .total_unbonding_shares
        .checked_sub(split.unbonding_shares)
        .ok_or(StakingError::MathOverflow)?;
    pool.total_staked_shares = pool
        .total_staked_shares
        .checked_sub(split.staked_shares)
        .ok_or(StakingError::MathOverflow)?;
    Ok(())
}

pub fn handler(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    // The market prices shares with the clock as it is; the pool's own books never run
    // backwards (`last_update_ts`). Each uses its own.
    let clock = Clock::get()?.unix_timestamp;
    let lending = recognise_loss_if_lent(
        &mut pool,
        accounts.lending_market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?;
    let index = pool.accrue(clock)?;
    let now = pool.last_update_ts;
    let limits = pool.limits();
    let split = split_withdrawal(
        &position,
        pool.principal_index(),
        amount,
        limits.unbonding_period,
        now,
    )?;
    position.settle(index)?;

    let idle = pool.idle_principal().ok_or(StakingError::MathOverflow)?;
    let target_after = reserve_target(
        pool.total_staked().saturating_sub(split.from_staked),
        pool.total_unbonding().saturating_sub(split.from_unbonding),
        limits.reserve_bps,
    );
    let plan = withdrawal_recall(amount, idle, pool.lent_principal, target_after);
    let mut recalled = 0;
    let mut recall_cost = 0;
    if plan.wanted() {
        let (Some(mut lending), Some(reward_vault), Some(_)) = (
            lending,
            accounts.reward_vault.as_mut(),
            accounts.lending_program.as_ref(),
        ) else {
            return err!(StakingError::LendingAccountsMissing);
        };
        let mut tokens = PoolTokens {
            mint: stake_mint,
            token_program,
            vault: &mut accounts.vault,
            reward_vault,
        };
        recalled = plan.amount(pool.lent_principal, lending.view(clock)?);
        if recalled > 0 {
            recall_cost = recall_for_withdrawal(
                &mut pool,
                &mut lending,
                &mut tokens,
                recalled,
                amount,
                clock,
            )?;
        }
    }

    take_shares(&mut pool, &mut position, &split)?;
    pool.remove_principal(amount)?;
    // The recall's rounding stays in the vault, backing lent principal (see
    // `recall_for_withdrawal`); everything else goes to the owner.
    let paid = amount - recall_cost;
    if paid > 0 {
        transfer_out_of_vault(
            &pool,
            token_program,
            stake_mint,
            &mut accounts.vault,
            &accounts.owner_token,
            paid,
        )?;
    }

    pool.save()?;
    emit!(Withdrawn {
        pool: pool.key(),
        owner: position.owner,
        amount,
        recalled,
        recall_cost,
        paid,
        position_staked: pool.principal_value(position.staked_shares),
        position_unbonding: pool.principal_value(position.unbonding_shares),
        total_staked: pool.total_staked(),
        total_unbonding: pool.total_unbonding(),
    });
    Ok(())
}
