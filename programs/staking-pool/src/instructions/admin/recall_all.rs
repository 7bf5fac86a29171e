use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::RecalledAll;
use crate::instructions::lending_accounts::*;
use crate::instructions::lending_books::{cover_rounding, recall_principal};
use crate::lending::PoolSide;

#[derive(Accounts)]
pub struct RecallAll<'info> {
    pub lending: ManageLending<'info>,
    #[account(constraint = lending.pool.admin == admin.key() @ StakingError::Unauthorized)]
    pub admin: Signer<'info>,
}

/// Brings everything back from lending: principal into the vault, interest into the reward
/// vault. Fails with `LendingIlliquid`, changing nothing, if the market cannot pay it all now.
pub fn handler(ctx: Context<RecallAll>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, mut tokens) = ctx.accounts.lending.parts();
    let (value, _) = lending.receipt_value(now)?;
    require!(value <= lending.liquidity(), StakingError::LendingIlliquid);
    let principal = value.min(pool.lent_principal);
    let interest = value - principal;
    let mut cost = 0;
    if principal > 0 {
        cost += recall_principal(pool, &mut lending, &mut tokens, principal, now)?;
    }
    if interest > 0 {
        let side = PoolSide {
            pool,
            mint: tokens.mint,
            token_program: tokens.token_program,
        };
        lending.recall(&side, tokens.reward_vault, interest)?;
        pool.total_interest_harvested = pool
            .total_interest_harvested
            .checked_add(interest)
            .ok_or(StakingError::MathOverflow)?;
    }
    // Principal the receipt could not return (rounding) is made whole from the reward books.
    cost += cover_rounding(pool, &lending, &mut tokens, now)?;
    emit!(RecalledAll {
        pool: pool.key(),
        principal,
        interest,
        lending_cost: cost,
    });
    Ok(())
}
