use anchor_lang::prelude::*;

use crate::allocation::harvestable_interest;
use crate::errors::StakingError;
use crate::events::Harvested;
use crate::instructions::lending_accounts::ManageLending;
use crate::lending::PoolSide;

/// Anyone may crank it: moves lending interest (receipt value above lent principal) into the
/// reward vault, as far as the market can pay now. Lent principal is never touched.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, tokens) = ctx.accounts.parts();
    let (_, rate) = lending.receipt_value(now)?;
    let amount = harvestable_interest(lending.receipt.shares, rate, pool.lent_principal)
        .ok_or(StakingError::MathOverflow)?
        .min(lending.liquidity());
    if amount > 0 {
        let side = PoolSide {
            pool,
            mint: tokens.mint,
            token_program: tokens.token_program,
        };
        lending.recall(&side, tokens.reward_vault, amount)?;
        pool.total_interest_harvested = pool
            .total_interest_harvested
            .checked_add(amount)
            .ok_or(StakingError::MathOverflow)?;
    }
    emit!(Harvested {
        pool: pool.key(),
        amount,
        total_interest_harvested: pool.total_interest_harvested,
        lent_principal: pool.lent_principal,
    });
    Ok(())
}
