use anchor_lang::prelude::*;

use crate::errors::StakingError;
use crate::events::RecalledAll;
use crate::instructions::lending_accounts::*;
use crate::instructions::lending_books::cover_rounding;
use crate::lending::PoolSide;
use crate::transfers::transfer_out;

#[derive(Accounts)]
pub struct RecallAll<'info> {
    pub lending: ManageLending<'info>,
    #[account(constraint = lending.pool.admin == admin.key() @ StakingError::Unauthorized)]
    pub admin: Signer<'info>,
}

/// Brings everything back from lending in one withdrawal: principal stays in the vault,
/// interest moves on to the reward vault. Fails with `LendingIlliquid`, changing nothing, if
/// the market cannot pay it all now.
pub fn handler(ctx: Context<RecallAll>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, mut tokens) = ctx.accounts.lending.parts();
    let (value, _) = lending.receipt_value(now)?;
    if value > 0 {
        let side = PoolSide {
            pool,
            mint: tokens.mint,
            token_program: tokens.token_program,
        };
        lending.recall(&side, tokens.vault, value, now)?;
    }
    let principal = value.min(pool.lent_principal);
    let interest = value - principal;
    pool.lent_principal -= principal;
    if interest > 0 {
        transfer_out(
            pool,
            tokens.token_program,
            tokens.mint,
            tokens.vault,
            tokens.reward_vault,
            interest,
        )?;
        tokens.reward_vault.reload()?;
        pool.total_interest_harvested = pool
            .total_interest_harvested
            .checked_add(interest)
            .ok_or(StakingError::MathOverflow)?;
    }
    // Principal the receipt could not return (share rounding) is made whole from the rewards.
    let lending_cost = cover_rounding(pool, &lending, &mut tokens, now)?;
    emit!(RecalledAll {
        pool: pool.key(),
        principal,
        interest,
        lending_cost,
    });
    Ok(())
}
