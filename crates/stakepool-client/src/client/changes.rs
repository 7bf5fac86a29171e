//! Changes to a pool with a notice period: the admin commands propose what is against
//! depositors (and apply the rest at once), anyone executes a proposal once its time has come,
//! the admin cancels one. Without a notice period every change applies at once, as before.
use staking_pool::state::{Change, ChangeKind};

use super::*;
use crate::projection::format_duration;

/// How a change against depositors is described to people: "APR 1000 → 500 bps".
pub fn describe_change(pool: &Pool, change: Change) -> String {
    let days = |s: i64| format_duration(s.max(0) as u64);
    match change {
        Change::Apr(apr) => format!("APR {} → {apr} bps", pool.apr_bps),
        Change::Reserve(r) => format!("reserve {} → {r} bps", pool.limits.reserve_bps),
        Change::UnbondingPeriod(p) => format!(
            "unbonding period {} → {}",
            days(pool.limits.unbonding_period),
            days(p)
        ),
        Change::NoticePeriod(p) => format!(
            "notice period {} → {}",
            days(pool.limits.notice_period),
            days(p)
        ),
        Change::LendingMarket(m) => match pool.has_lending_market() {
            true => format!("lending market {} → {m}", pool.lending_market),
            false => format!("lending market none → {m}"),
        },
    }
}

/// A change as a JSON field, the new value under its own name (`new_apr_bps: 500`), so a
/// script reads it without parsing prose.
pub fn change_field(change: Change) -> (&'static str, serde_json::Value) {
    use serde_json::json;
    match change {
        Change::Apr(apr) => ("new_apr_bps", json!(apr)),
        Change::Reserve(r) => ("new_reserve_bps", json!(r)),
        Change::UnbondingPeriod(p) => ("new_unbonding_period_seconds", json!(p)),
        Change::NoticePeriod(p) => ("new_notice_period_seconds", json!(p)),
        Change::LendingMarket(m) => ("new_lending_market", json!(m.to_string())),
    }
}

/// The last moment a depositor can `request-unbond` and still withdraw before a change
/// executable at `executable_at` can apply: one unbonding period earlier (the moment itself
/// without one).
pub fn leave_by(pool: &Pool, executable_at: i64) -> i64 {
    executable_at.saturating_sub(pool.limits.unbonding_period.max(0))
}

/// The name a person types for a kind of change (and JSON carries): the only place a kind's
/// name is written; the CLI and the scenario format read names through `kind_named`.
pub fn kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Apr => "apr",
        ChangeKind::Reserve => "reserve",
        ChangeKind::UnbondingPeriod => "unbonding-period",
        ChangeKind::NoticePeriod => "notice-period",
        ChangeKind::LendingMarket => "lending-market",
    }
}

/// The kind `name` names (`kind_name`'s inverse).
pub fn kind_named(name: &str) -> Option<ChangeKind> {
    ChangeKind::ALL
        .into_iter()
        .find(|kind| kind_name(*kind) == name)
}

impl<T: Transport> StakeClient<T> {
    /// The instructions that make `changes` on the pool: with a notice period, a
    /// `propose_change` for each one against depositors (and a note saying when it applies);
    /// `apply` builds the instruction for the rest, which apply at once (or `None` when
    /// nothing is left to apply).
    pub(super) async fn with_notice(
        &self,
        ctx: &PoolContext,
        changes: &[Change],
        apply: Option<Instruction>,
    ) -> Result<(Vec<Instruction>, Vec<String>), ClientError> {
        let pool = &ctx.pool;
        let notice = pool.limits.notice_period;
        let mut instructions: Vec<Instruction> = apply.into_iter().collect();
        let mut notes = Vec::new();
        if notice > 0 {
            let at = self.now().await?.saturating_add(notice);
            for &change in changes.iter().filter(|c| pool.is_against_depositors(**c)) {
                instructions.push(ix::propose_change(&ctx.keys, &self.me(), change));
                notes.push(format!(
                    "announced {}: it applies after the pool's notice period, from {} (in {}); then anyone runs `stakepool execute-change --pool {} {}`",
                    describe_change(pool, change),
                    crate::projection::format_utc(at),
                    format_duration(notice as u64),
                    ctx.keys.pool,
                    kind_name(change.kind()),
                ));
            }
        }
        Ok((instructions, notes))
    }

    /// Announces `change` (the admin): a raw `propose_change`, for when the caller wants a
    /// proposal whatever the admin commands would do.
    pub async fn propose_change(
        &self,
        pool: &Pubkey,
        change: Change,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let (instructions, notes) = self.with_notice(&ctx, &[change], None).await?;
        if instructions.is_empty() {
            // No notice period, or not against depositors: the program says which.
            return self
                .send(&[ix::propose_change(&ctx.keys, &self.me(), change)], vec![])
                .await;
        }
        self.send(&instructions, notes).await
    }

    /// Executes the pool's pending change of `kind` (anyone may, once its time has come).
    pub async fn execute_change(
        &self,
        pool: &Pubkey,
        kind: ChangeKind,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let market = (kind == ChangeKind::LendingMarket).then_some(ctx.pool.pending.lending_market);
        let instruction = ix::execute_change(&ctx.keys, &self.me(), kind, market.as_ref());
        self.send(&[instruction], vec![]).await
    }

    /// Withdraws the pool's pending change of `kind` (the admin).
    pub async fn cancel_change(
        &self,
        pool: &Pubkey,
        kind: ChangeKind,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::cancel_change(&ctx.keys, &self.me(), kind)], vec![])
            .await
    }
}
