use anchor_lang::prelude::*;

use crate::allocation::{harvest_amount, harvestable_interest};
use crate::errors::StakingError;
use crate::events::Harvested;
use crate::instructions::lending_accounts::ManageLending;
use crate::lending::PoolSide;

/// Anyone may crank it: moves lending interest (receipt value above lent principal) into the
/// reward vault, as far as the market has funded it and can pay it without touching the
/// liquidity the pool's principal needs. Lent principal is never touched.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, tokens) = ctx.accounts.parts();
    let (_, rate) = lending.receipt_value(now)?;
    let safe = harvestable_interest(lending.receipt.shares, rate, pool.lent_principal)
        .ok_or(StakingError::MathOverflow)?;
    let market_claims = mock_lending::exchange_rate::value_of(lending.market.total_shares, rate)
        .ok_or(StakingError::MathOverflow)?;
    let amount = harvest_amount(
        safe,
        market_claims,
        lending.liquidity(),
        lending.market.outstanding_loans,
        pool.lent_principal,
    );
    if amount > 0 {
        let side = PoolSide {
            pool,
            mint: tokens.mint,
            token_program: tokens.token_program,
        };
        lending.recall(&side, tokens.reward_vault, amount, now)?;
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
