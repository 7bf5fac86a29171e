use anchor_lang::prelude::*;

use crate::allocation::{plan_rebalance, reserve_target, Rebalance};
use crate::errors::StakingError;
use crate::events::Rebalanced;
use crate::instructions::lending_accounts::ManageLending;
use crate::instructions::lending_books::{cover_rounding, recall_principal};
use crate::lending::PoolSide;
use mock_lending::exchange_rate::shares_for_deposit;

/// Anyone may crank it: lends idle principal above the reserve target (not while paused),
/// or recalls what is missing below it as far as the market can pay.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (pool, mut lending, mut tokens) = ctx.accounts.parts();
    let principal = pool.total_principal().ok_or(StakingError::MathOverflow)?;
    let idle = pool.idle_principal().ok_or(StakingError::MathOverflow)?;
    let target = reserve_target(principal, pool.limits.reserve_bps);
    let (_, rate) = lending.receipt_value(now)?;
    let plan = match plan_rebalance(
        idle,
        pool.lent_principal,
        target,
        pool.paused,
        lending.liquidity(),
    ) {
        // An amount too small to buy one share is not lent (the market would refuse it).
        Rebalance::Lend(amount) if shares_for_deposit(amount, rate).unwrap_or(0) == 0 => {
            Rebalance::Nothing
        }
        plan => plan,
    };
    let lent_delta = match plan {
        Rebalance::Lend(amount) => {
            let side = PoolSide {
                pool,
                mint: tokens.mint,
                token_program: tokens.token_program,
            };
            lending.lend(&side, tokens.vault, amount, now)?;
            pool.lent_principal = pool
                .lent_principal
                .checked_add(amount)
                .ok_or(StakingError::MathOverflow)?;
            // Shares are bought rounded down: the receipt can be worth a unit less than lent.
            cover_rounding(pool, &lending, &mut tokens, now)?;
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
