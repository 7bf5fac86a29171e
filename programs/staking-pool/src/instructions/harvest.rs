use anchor_lang::prelude::*;

use crate::events::Harvested;
use crate::lending_accounts::ManageLending;
use crate::lending_books::{recognise_loss, take_interest};

/// Anyone may crank it: moves lending interest (receipt value above lent principal) into the
/// reward vault, as far as the market has backed it and can pay it without touching the
/// liquidity the pool's principal needs. Lent principal is never touched. A loss is recognised
/// first; after one, what a recovering market pays back shows up here as interest and goes to
/// the reward books, not back into principal (README, "How lending works", says why).
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (mut pool, mut lending, mut tokens) = ctx.accounts.parts()?;
    recognise_loss(&mut pool, &lending, now)?;
    let amount = take_interest(&mut pool, &mut lending, &mut tokens, now)?;
    pool.save()?;
    emit!(Harvested {
        pool: pool.key(),
        amount,
        total_interest_harvested: pool.total_interest_harvested,
        lent_principal: pool.lent_principal,
    });
    Ok(())
}
