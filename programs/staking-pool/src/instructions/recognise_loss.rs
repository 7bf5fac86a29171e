use anchor_lang::prelude::*;

use crate::lending_accounts::ManageLending;
use crate::lending_books::recognise_loss;

/// Anyone may crank it: reads the pool's lending market and, if the pool's receipt is worth
/// less than lent principal by more than rounding, writes the loss off every position pro rata
/// (`lending_books::recognise_loss`, which emits `LossRecognised`). Every instruction that
/// reads the market does the same first; this one does nothing else, so a watcher can make a
/// loss official without moving tokens. With no loss it changes nothing but the books' clock.
pub fn handler(ctx: Context<ManageLending>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (mut pool, lending, _) = ctx.accounts.parts()?;
    recognise_loss(&mut pool, &lending, now)?;
    pool.save()
}
