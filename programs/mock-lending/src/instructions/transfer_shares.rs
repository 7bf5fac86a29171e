use anchor_lang::prelude::*;

use crate::errors::LendingError;
use crate::events::SharesTransferred;
use crate::state::{Market, Receipt};

/// A receipt's owner moves shares to another receipt of the same market: how a staking pool
/// hands a depositor their part of its lending position (an exit in kind). No liquidity moves
/// and the market's totals stay the same.
#[derive(Accounts)]
pub struct TransferShares<'info> {
    #[account(
        constraint = market.is_at(&market.key()) @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut,
        constraint = from.is_at(&from.key(), &market.key(), &owner.key())
            @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        constraint = from.owner == owner.key() @ LendingError::Unauthorized,
        constraint = from.market == market.key() @ anchor_lang::error::ErrorCode::ConstraintHasOne,
    )]
    pub from: Box<Account<'info, Receipt>>,
    /// Receives the shares: any other receipt of this market, whose owner need not sign. Anchor
    /// refuses the same receipt twice (`ConstraintDuplicateMutableAccount`).
    #[account(
        mut,
        constraint = to.is_at(&to.key(), &market.key(), &to.owner)
            @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub to: Box<Account<'info, Receipt>>,
    pub owner: Signer<'info>,
}

pub fn handler(ctx: Context<TransferShares>, shares: u64) -> Result<()> {
    require!(shares > 0, LendingError::ZeroAmount);
    let accounts = &mut *ctx.accounts;
    require!(
        shares <= accounts.from.shares,
        LendingError::InsufficientShares
    );
    accounts.from.shares -= shares;
    accounts.to.shares = accounts
        .to
        .shares
        .checked_add(shares)
        .ok_or(LendingError::MathOverflow)?;
    emit!(SharesTransferred {
        market: accounts.market.key(),
        from: accounts.from.key(),
        to: accounts.to.key(),
        shares,
        from_shares: accounts.from.shares,
        to_shares: accounts.to.shares,
    });
    Ok(())
}
