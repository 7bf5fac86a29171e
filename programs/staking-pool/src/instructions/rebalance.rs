use anchor_lang::prelude::*;

use crate::allocation::{plan_rebalance, reserve_target, Rebalance};
use crate::errors::StakingError;
use crate::events::Rebalanced;
use crate::instructions::lending_accounts::ManageLending;
use crate::instructions::lending_books::recall_principal;
use crate::lending::PoolSide;

/// Anyone may crank it: lends idle principal above the reserve target (not while paused),
/// or recalls what is missing below it as far as the market can pay.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, mut tokens) = ctx.accounts.parts();
    let principal = pool.total_principal().ok_or(StakingError::MathOverflow)?;
    let idle = pool.idle_principal().ok_or(StakingError::MathOverflow)?;
    let target = reserve_target(principal, pool.limits.reserve_bps);
    let plan = plan_rebalance(
        idle,
        pool.lent_principal,
        target,
        pool.paused,
        lending.liquidity(),
    );
    let lent_delta = match plan {
        Rebalance::Lend(amount) => {
            let side = PoolSide {
                pool,
                mint: tokens.mint,
                token_program: tokens.token_program,
            };
            lending.lend(&side, tokens.vault, amount)?;
            pool.lent_principal = pool
                .lent_principal
                .checked_add(amount)
                .ok_or(StakingError::MathOverflow)?;
            i128::from(amount)
        }
        Rebalance::Recall(amount) => {
            recall_principal(pool, &mut lending, &mut tokens, amount, now)?;
            -i128::from(amount)
        }
        Rebalance::Nothing => 0,
    };
    emit!(Rebalanced {
        pool: pool.key(),
        lent_delta,
        idle_principal: pool.idle_principal().ok_or(StakingError::MathOverflow)?,
        lent_principal: pool.lent_principal,
    });
    Ok(())
}
