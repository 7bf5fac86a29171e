use anchor_lang::prelude::*;

use super::AdminOnly;
use crate::events::{emit_dropped, AprChanged};
use crate::state::Change;
use crate::state::LoadedPool;

/// Checkpoints the index at the old rate, then switches: the change never reaches back. A cut
/// in a pool with a notice period is proposed instead (`propose_change`); a raise is at once.
pub fn handler(ctx: Context<AdminOnly>, apr_bps: u32) -> Result<()> {
    let mut pool = LoadedPool::load(&ctx.accounts.pool)?;
    pool.require_no_notice_for(Change::Apr(apr_bps))?;
    let old_apr_bps = pool.apr_bps;
    let dropped = pool.apply_change(Change::Apr(apr_bps), Clock::get()?.unix_timestamp)?;
    emit_dropped(pool.key(), &dropped);
    pool.save()?;
    emit!(AprChanged {
        pool: pool.key(),
        old_apr_bps,
        new_apr_bps: apr_bps,
        index_checkpoint: pool.index_checkpoint.get(),
        checkpoint_ts: pool.checkpoint_ts,
    });
    Ok(())
}
