use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use mock_lending::program::MockLending;
use mock_lending::state::{Market, Receipt};

use crate::allocation::{in_kind_shares, lent_part};
use crate::errors::StakingError;
use crate::events::WithdrawnInKind;
use crate::instructions::withdraw::{split_withdrawal, take_shares};
use crate::lending_books::recognise_loss_if_lent;
use crate::state::{LoadedPool, Pool, Position};
use program_accounts::token_moves::transfer_out_of_vault;

/// Accounts as `Deposit` declares them (docs/accounts.md), the market's accounts required,
/// with the receipt the lent part goes to and the lending program.
#[derive(Accounts)]
pub struct WithdrawInKind<'info> {
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
    /// Receives the part paid in tokens: any token account of the stake mint the owner chooses.
    #[account(mut, token::mint = stake_mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the lent part as shares: any receipt of the pool's market the owner chooses
    /// except the pool's own (Anchor refuses it twice, and the market checks the receipt is one
    /// of its own).
    #[account(
        mut,
        constraint = to_receipt.market == pool.load()?.lending_market
            @ StakingError::InvalidLendingMarket,
    )]
    pub to_receipt: Box<Account<'info, Receipt>>,
    pub lending_program: Program<'info, MockLending>,
    #[account(mut, address = pool.load()?.lending_market @ StakingError::InvalidLendingMarket)]
    pub lending_market: Option<Box<Account<'info, Market>>>,
    #[account(mut, address = pool.load()?.receipt @ StakingError::InvalidLendingReceipt)]
    pub receipt: Option<Box<Account<'info, Receipt>>>,
    #[account(mut, address = pool.load()?.market_vault @ StakingError::InvalidLendingVault)]
    pub market_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
}

/// Withdraws `amount` base units of principal the way the pool holds it: the lent part
/// (`amount × lent / principal`, rounded up) as the market's receipt shares at the rate the
/// market pays now (rounded down), the rest in tokens from idle. It needs no liquidity from
/// the market, so principal can leave even when the market cannot pay; the unbonding rules
/// apply as to `withdraw`. Those who stay keep the same mix of idle and lent principal, and a
/// loss the market shows is recognised first, so the leaver takes their share of it with them.
pub fn handler(ctx: Context<WithdrawInKind>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    let mut pool = LoadedPool::load(&accounts.pool)?;
    let mut position = accounts.position.load_mut()?;
    let clock = Clock::get()?.unix_timestamp;
    let Some(mut lending) = recognise_loss_if_lent(
        &mut pool,
        accounts.lending_market.as_mut(),
        accounts.receipt.as_mut(),
        accounts.market_vault.as_mut(),
        clock,
    )?
    else {
        return err!(StakingError::LendingAccountsMissing);
    };
    let index = pool.accrue(clock)?;
    let now = pool.last_update_ts;
    let split = split_withdrawal(
        &position,
        pool.principal_index(),
        amount,
        pool.limits.unbonding_period,
        now,
    )?;
    position.settle(index)?;

    let principal = pool.total_principal().ok_or(StakingError::MathOverflow)?;
    let in_kind = lent_part(amount, pool.lent_principal, principal);
    let in_tokens = amount - in_kind;
    let receipt_shares = in_kind_shares(in_kind, lending.rate(clock)?, lending.receipt.shares);
    if receipt_shares > 0 {
        lending.hand_over(&pool, &mut accounts.to_receipt, receipt_shares)?;
    }
    pool.lent_principal -= in_kind;
    take_shares(&mut pool, &mut position, &split)?;
    pool.remove_principal(amount)?;
    if in_tokens > 0 {
        transfer_out_of_vault(
            &pool,
            &accounts.token_program,
            &accounts.stake_mint,
            &mut accounts.vault,
            &accounts.owner_token,
            in_tokens,
        )?;
    }
    pool.save()?;
    emit!(WithdrawnInKind {
        pool: pool.key(),
        owner: position.owner,
        amount,
        in_tokens,
        in_kind,
        receipt_shares,
        to_receipt: accounts.to_receipt.key(),
        position_staked: pool.principal_value(position.staked_shares),
        position_unbonding: pool.principal_value(position.unbonding_shares),
        lent_principal: pool.lent_principal,
    });
    Ok(())
}
