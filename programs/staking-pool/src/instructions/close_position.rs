use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::PositionClosed;
use crate::instructions::owner_position::*;
use crate::instructions::withdraw::{take_shares, WithdrawalSplit};

owner_position_accounts! {
    pub struct ClosePosition<'info> {
        pool, position, owner;
        /// Receives the position's rent: any account the owner (who signs) chooses, usually
        /// their own wallet.
        /// CHECK: only credited with lamports.
        #[account(mut)]
        pub rent_to: UncheckedAccount<'info>,
    }
}

/// Closes an empty position and returns its rent. "Empty" means principal worth nothing and
/// less than one whole base unit owed; what is left (shares worth less than a base unit after
/// a write-down, the sub-unit remainder of rewards) is forfeited and removed from the pool's
/// totals and liability so the books stay exact.
pub fn handler(ctx: Context<ClosePosition>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;
    let shares = position.shares().ok_or(StakingError::MathOverflow)?;
    require!(
        pool.principal_value(shares) == 0 && position.owed_units() == 0,
        StakingError::PositionNotEmpty
    );
    // Shares worth nothing leave the books with the position.
    let dust = WithdrawalSplit {
        from_unbonding: 0,
        from_staked: 0,
        unbonding_shares: position.unbonding_shares,
        staked_shares: position.staked_shares,
    };
    take_shares(pool, position, &dust)?;
    // No whole unit is owed, so what is forfeited is the fraction alone.
    let forfeited = position.owed;
    pool.total_owed = pool
        .total_owed
        .checked_sub(forfeited)
        .ok_or(StakingError::MathOverflow)?;
    emit!(PositionClosed {
        pool: pool.key(),
        owner: position.owner,
        position: position.key(),
        forfeited_scaled: forfeited.frac,
    });
    // The rent goes back; the runtime then sees an empty system account, which Anchor does
    // not write back.
    position.close(accounts.rent_to.to_account_info())
}
