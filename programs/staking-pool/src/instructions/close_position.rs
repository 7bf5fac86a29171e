use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::PositionClosed;
use crate::instructions::owner_position::*;

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

/// Closes an empty position and returns its rent. "Empty" means no principal and less than
/// one whole base unit owed; that sub-unit remainder is forfeited and removed from the
/// pool's liability so the books stay exact.
pub fn handler(ctx: Context<ClosePosition>) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    let (pool, position) = (&mut accounts.pool, &mut accounts.position);
    let index = pool.accrue(Clock::get()?.unix_timestamp)?;
    position.settle(index)?;
    require!(
        position.staked == 0 && position.unbonding == 0 && position.owed_units() == 0,
        StakingError::PositionNotEmpty
    );
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
