use anchor_lang::prelude::*;

use crate::allocation::recallable;
use crate::errors::StakingError;
use crate::events::RecalledAll;
use crate::lending_accounts::*;
use crate::lending_books::{recall_principal, recognise_loss, take_interest};

#[derive(Accounts)]
pub struct RecallAll<'info> {
    pub lending: ManageLending<'info>,
    #[account(constraint = lending.pool.load()?.admin == admin.key() @ StakingError::Unauthorized)]
    pub admin: Signer<'info>,
}

/// Brings lent principal back into the vault, then interest into the reward vault, each as far
/// as the market can pay it now:
/// - principal first, `min(lent, receipt value, market liquidity)`, so the pool's principal is
///   never held back behind its interest;
/// - interest only as `harvest` would take it (backed by the market, and never the liquidity
///   another depositor's principal needs): what cannot be taken stays in the receipt.
///
/// Fails with `LendingIlliquid`, changing nothing, only when principal is lent and none of it
/// can be recalled now.
pub fn handler(ctx: Context<RecallAll>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (mut pool, mut lending, mut tokens) = ctx.accounts.lending.parts()?;
    recognise_loss(&mut pool, &lending, now)?;
    let principal = recallable(pool.lent_principal, pool.lent_principal, lending.view(now)?);
    require!(
        principal > 0 || pool.lent_principal == 0,
        StakingError::LendingIlliquid
    );
    let lending_cost = if principal > 0 {
        recall_principal(&mut pool, &mut lending, &mut tokens, principal, now)?
    } else {
        0
    };
    let interest = take_interest(&mut pool, &mut lending, &mut tokens, now)?;
    pool.save()?;
    emit!(RecalledAll {
        pool: pool.key(),
        principal,
        interest,
        lending_cost,
        lent_principal: pool.lent_principal,
    });
    Ok(())
}
