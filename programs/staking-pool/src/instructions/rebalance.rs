use anchor_lang::prelude::*;

use crate::allocation::{plan_rebalance, rebalance_due, recall_due, reserve_target, Rebalance};
use crate::errors::StakingError;
use crate::events::Rebalanced;
use crate::lending_accounts::ManageLending;
use crate::lending_books::{lend_principal, recall_principal, recognise_loss};
use mock_lending::exchange_rate::shares_for_deposit;

/// Anyone may crank it: lends idle principal above the reserve target (not while paused),
/// or recalls what is missing below it as far as the market can pay. The target is the
/// reserve share of earning principal plus all unbonding principal, so principal that started
/// to leave is recalled before it unlocks and never lent again. A market with a deficit gets
/// nothing and all lent principal it can pay is recalled. Lends at most once per
/// `REBALANCE_INTERVAL`; recalls dust at most once per interval and anything larger at once
/// (`allocation::recall_due`); the flight from a market with a deficit is never delayed.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (mut pool, mut lending, mut tokens) = ctx.accounts.parts()?;
    recognise_loss(&mut pool, &lending, now)?;
    let principal = pool.total_principal().ok_or(StakingError::MathOverflow)?;
    let idle = pool.idle_principal().ok_or(StakingError::MathOverflow)?;
    let target = reserve_target(
        pool.total_staked(),
        pool.total_unbonding(),
        pool.limits.reserve_bps,
    );
    let rate = lending.deposit_rate(now)?;
    let view = lending.view(now)?;
    let market_deficit = view.deficit;
    let plan = match plan_rebalance(idle, pool.lent_principal, target, pool.is_paused(), view) {
        // An amount too small to buy one share is not lent (the market would refuse it).
        Rebalance::Lend(amount) if shares_for_deposit(amount, rate).unwrap_or(0) == 0 => {
            Rebalance::Nothing
        }
        plan => plan,
    };
    // Lends at most once an interval; dust recalls too, on a clock of their own, and larger
    // recalls at once: neither a forced lend nor a dust recall that spent the clock can hold
    // off the recall that restores the reserve.
    let due = match plan {
        Rebalance::Lend(_) => rebalance_due(pool.last_lend_ts, now),
        Rebalance::Recall(amount) => recall_due(pool.last_recall_ts, now, amount, principal),
        Rebalance::Nothing => true,
    };
    require!(market_deficit > 0 || due, StakingError::RebalanceTooSoon);
    match plan {
        Rebalance::Lend(_) => pool.last_lend_ts = now,
        Rebalance::Recall(_) => pool.last_recall_ts = now,
        Rebalance::Nothing => {}
    }
    let lent_delta = match plan {
        Rebalance::Lend(amount) => {
            lend_principal(&mut pool, &mut lending, &mut tokens, amount, now)?;
            i128::from(amount)
        }
        Rebalance::Recall(amount) => {
            recall_principal(&mut pool, &mut lending, &mut tokens, amount, now)?;
            -i128::from(amount)
        }
        Rebalance::Nothing => 0,
    };
    pool.save()?;
    emit!(Rebalanced {
        pool: pool.key(),
        lent_delta,
        idle_principal: pool.idle_principal().ok_or(StakingError::MathOverflow)?,
        lent_principal: pool.lent_principal,
        market_deficit,
    });
    Ok(())
}
