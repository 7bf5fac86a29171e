use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::state::{Market, Receipt};

use crate::errors::StakingError;
use crate::events::Compounded;
use crate::instructions::claim::settle_payable;
use crate::lending_books::recognise_loss_if_lent;
use crate::state::{LoadedPool, Pool, Position};
use program_accounts::token_moves::transfer_between_vaults;

/// Accounts as `Deposit` declares them (docs/accounts.md), with the reward vault the rewards
/// come from; no owner token account (nothing leaves the pool).
#[derive(Accounts)]
pub struct Compound<'info> {
    #[account(mut, constraint = pool.load()?.is_at(&pool.key()) @ StakingError::InvalidPoolAddress)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, constraint = position.load()?.is_at(&position.key(), &pool.key(), &owner.key()) @ StakingError::InvalidPositionAddress)]
    pub position: AccountLoader<'info, Position>,
    pub owner: Signer<'info>,
    #[account(address = pool.load()?.stake_mint @ StakingError::InvalidMint)]
    pub stake_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.load()?.token_program @ StakingError::InvalidTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    #[account(
        mut,
        address = pool.load()?.vault @ StakingError::InvalidVault,
        // Compounding is a deposit of rewards: stopped while paused like any deposit.
        constraint = !pool.load()?.is_paused() @ StakingError::PoolPaused,
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = pool.load()?.reward_vault @ StakingError::InvalidRewardVault)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
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

/// Moves payable rewards from the reward vault into the position's principal. The deposit
/// cap applies; the minimum deposit does not (it exists to stop dust positions, and this
/// position exists already). Like a deposit, it reads the market first while principal is lent.
pub fn handler(ctx: Context<Compound>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let (stake_mint, token_program) = (&accounts.stake_mint, &accounts.token_program);
    let clock = Clock::get()?.unix_timestamp;
    recognise_loss_if_lent(
        &mut pool,
        accounts.lending_market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?;
    let amount = settle_payable(&mut pool, &mut position, clock)?;
    let shares = pool.shares_for_deposit(amount)?;
    pool.require_room_for(amount)?;
    pool.record_payout(amount)?;
    position.record_payout(amount)?;
    if amount > 0 {
        transfer_between_vaults(
            &pool,
            token_program,
            stake_mint,
            &mut accounts.reward_vault,
            &mut accounts.vault,
            amount,
        )?;
    }
    pool.add_staked(&mut position, shares)?;
    pool.add_principal(amount)?;
    pool.save()?;
    emit!(Compounded {
        pool: pool.key(),
        owner: position.owner,
        amount,
        shares,
        still_owed: position.owed_units(),
        position_staked: pool.principal_value(position.staked_shares),
        total_staked: pool.total_staked(),
    });
    Ok(())
}
