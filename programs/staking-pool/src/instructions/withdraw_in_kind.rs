use anchor_lang::prelude::*;
use mock_lending::program::MockLending;

use crate::allocation::{in_kind_shares, lent_part};
use crate::errors::StakingError;
use crate::events::WithdrawnInKind;
use crate::instructions::lending_books::recognise_loss_if_lent;
use crate::instructions::owner_position::*;
use crate::instructions::withdraw::{split_withdrawal, take_shares};
use crate::transfers::transfer_out;

owner_position_accounts! {
    pub struct WithdrawInKind<'info> {
        pool, position, owner, tokens: stake_mint, token_program,
        market: market, receipt, market_vault;
        #[account(mut, address = pool.vault @ StakingError::InvalidVault)]
        pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
        /// Where the idle part goes: any account of the stake mint the owner chooses.
        #[account(
            mut,
            token::mint = stake_mint,
            token::token_program = token_program,
        )]
        pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
        /// Where the lent part goes, as shares: any receipt of the pool's market the owner
        /// chooses but the pool's own (Anchor refuses it twice, and the market checks the
        /// receipt is one of its own).
        #[account(
            mut,
            constraint = to_receipt.market == pool.lending_market @ StakingError::InvalidLendingMarket,
        )]
        pub to_receipt: Box<Account<'info, Receipt>>,
        pub lending_program: Program<'info, MockLending>,
    }
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
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let clock = Clock::get()?.unix_timestamp;
    let Some(mut lending) = recognise_loss_if_lent(
        pool,
        accounts.market.as_mut(),
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
        position,
        pool.principal_index,
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
        lending.hand_over(pool, &mut accounts.to_receipt, receipt_shares)?;
    }
    pool.lent_principal -= in_kind;
    take_shares(pool, position, &split)?;
    pool.remove_principal(amount)?;
    if in_tokens > 0 {
        transfer_out(
            pool,
            &accounts.token_program,
            &accounts.stake_mint,
            &mut accounts.vault,
            &accounts.owner_token,
            in_tokens,
        )?;
    }
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
