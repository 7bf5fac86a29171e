use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::state::{Market, Receipt};

use crate::errors::StakingError;
use crate::events::Deposited;
use crate::lending_books::recognise_loss_if_lent;
use crate::state::{LoadedPool, Pool, Position};
use program_accounts::token_moves::transfer_into_vault;

/// Accounts as every position instruction declares them (docs/accounts.md): the pool and the
/// owner's position at their PDAs, the owner signing, the pool's mint, token program and
/// vault pinned to the pool; the pool's lending market, receipt and market vault optional
/// (needed while principal is lent) and pinned likewise.
#[derive(Accounts)]
pub struct Deposit<'info> {
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
        constraint = !pool.load()?.is_paused() @ StakingError::PoolPaused,
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
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

/// Moves `amount` into the vault for shares of principal at the pool's principal index. While
/// principal is lent the market is read first (`recognise_loss_if_lent`): a newcomer never buys
/// into a loss the market already shows.
pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let clock = Clock::get()?.unix_timestamp;
    recognise_loss_if_lent(
        &mut pool,
        accounts.lending_market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?;
    require!(
        amount >= pool.limits.min_deposit,
        StakingError::BelowMinimumDeposit
    );
    pool.require_room_for(amount)?;

    let shares = pool.shares_for_deposit(amount)?;
    let index = pool.accrue(clock)?;
    position.settle(index)?;
    transfer_into_vault(
        &pool,
        &accounts.token_program,
        &accounts.stake_mint,
        &accounts.owner_token,
        &accounts.owner,
        &mut accounts.vault,
        amount,
    )?;

    pool.add_staked(&mut position, shares)?;
    pool.add_principal(amount)?;
    pool.save()?;
    emit!(Deposited {
        pool: pool.key(),
        owner: position.owner,
        amount,
        shares,
        position_staked: pool.principal_value(position.staked_shares),
        total_staked: pool.total_staked(),
    });
    Ok(())
}
