use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::AprChanged;

/// Checkpoints the index at the old rate, then switches: the change never reaches back.
pub fn handler(ctx: Context<AdminOnly>, apr_bps: u32) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let old_apr_bps = pool.apr_bps;
    pool.set_apr(apr_bps, Clock::get()?.unix_timestamp)?;
    emit!(AprChanged {
        pool: pool.key(),
        old_apr_bps,
        new_apr_bps: apr_bps,
        index_checkpoint: pool.index_checkpoint,
        checkpoint_ts: pool.checkpoint_ts,
    });
    Ok(())
}
