//! The pool itself: created with the config's parameters, or brought to them. With a notice
//! period, a change against depositors goes through an announcement: one run proposes it, a
//! later run executes it once its time has come.
use anchor_lang::prelude::Pubkey;
use stakepool_client::amount::format_ui_amount;
use stakepool_client::client::changes::describe_change;
use stakepool_client::client::ClientError;
use stakepool_client::transport::Transport;
use stakepool_client::{accounts, PoolKeys};
use staking_pool::state::{Change, Pool, PoolLimits};

use super::mint::PlannedMint;
use super::{PlanError, Planning, Step};

impl<T: Transport> Planning<'_, T> {
    /// Plans the pool at `keys`, lending to `market`; returns the rewards funded so far.
    pub(super) async fn pool(
        &mut self,
        keys: &PoolKeys,
        mint: &PlannedMint,
        market: Option<Pubkey>,
    ) -> Result<u64, PlanError> {
        let limits = self.limits(mint.decimals)?;
        match self.client.raw(&keys.pool).await? {
            None => {
                self.new_pool(keys, mint, market, limits);
                Ok(0)
            }
            Some(account) => {
                let state: Pool =
                    accounts::zero_copy(&account.data, "pool").map_err(ClientError::from)?;
                self.existing_pool(keys, &state, mint.decimals, market, limits)
                    .await?;
                Ok(state.total_rewards_funded)
            }
        }
    }

    /// The config's limits over the defaults, checked by the program's rules.
    fn limits(&self, decimals: u8) -> Result<PoolLimits, PlanError> {
        self.spec
            .limits
            .apply(PoolLimits::default(), decimals)
            .map_err(|e| self.fail(e.to_string()))
    }

    /// A new pool. A notice period would make attaching the first market a proposal: the pool
    /// is created without one, gets its market, then its notice (a longer notice is for
    /// depositors and applies at once).
    fn new_pool(
        &mut self,
        keys: &PoolKeys,
        mint: &PlannedMint,
        market: Option<Pubkey>,
        limits: PoolLimits,
    ) {
        let created = match market {
            Some(_) => PoolLimits {
                notice_period: 0,
                ..limits
            },
            None => limits,
        };
        self.steps.push(Step::CreatePool {
            pool: keys.pool,
            mint: mint.address,
            pool_id: self.spec.pool_id,
            apr_bps: self.spec.apr_bps,
            limits: created,
            decimals: mint.decimals,
        });
        if let Some(market) = market {
            self.steps.push(Step::SetLendingMarket {
                pool: keys.pool,
                market,
            });
        }
        if created != limits {
            self.steps.push(Step::SetParams {
                pool: keys.pool,
                from: created,
                to: limits,
                decimals: mint.decimals,
            });
        }
    }

    /// An existing pool brought to the config: its APR, its limits and its market, each set
    /// directly or, where an earlier run announced it, executed or awaited. Only the admin may
    /// change a pool, so a plan with such a step for a pool the payer does not administer is
    /// refused.
    async fn existing_pool(
        &mut self,
        keys: &PoolKeys,
        state: &Pool,
        decimals: u8,
        market: Option<Pubkey>,
        limits: PoolLimits,
    ) -> Result<(), PlanError> {
        let changes_before = self.steps.len();
        let now = self.client.now().await?;
        if state.apr_bps != self.spec.apr_bps
            && !self.announced(state, keys.pool, now, Change::Apr(self.spec.apr_bps))
        {
            self.steps.push(Step::SetApr {
                pool: keys.pool,
                from: state.apr_bps,
                to: self.spec.apr_bps,
            });
        }
        // Announced limits keep their current value in what is sent now.
        let mut to = limits;
        let current = state.limits();
        for change in limits.noticed_changes() {
            if current.with(change) != current && self.announced(state, keys.pool, now, change) {
                to = to.without(change, &current);
            }
        }
        if current != to {
            self.steps.push(Step::SetParams {
                pool: keys.pool,
                from: current,
                to,
                decimals,
            });
        }
        self.market_change(keys, state, decimals, market, now)?;
        // Executing an announced change is anyone's; the other changes are the admin's.
        let admin_steps = self.steps[changes_before..].iter().any(|step| {
            matches!(
                step,
                Step::SetApr { .. } | Step::SetParams { .. } | Step::SetLendingMarket { .. }
            )
        });
        if admin_steps && state.admin != self.payer() {
            return Err(self.fail(format!(
                "the pool's admin is {}, not the payer {}; only the admin can change it",
                state.admin,
                self.payer()
            )));
        }
        Ok(())
    }

    /// The pool's market brought to `market`: no instruction detaches one, and the program
    /// refuses a new one while funds are lent.
    fn market_change(
        &mut self,
        keys: &PoolKeys,
        state: &Pool,
        decimals: u8,
        market: Option<Pubkey>,
        now: i64,
    ) -> Result<(), PlanError> {
        let current = state.has_lending_market().then_some(state.lending_market);
        match (current, market) {
            (Some(current), None) => Err(self.fail(format!(
                "the pool lends to {current} and no instruction detaches a market; set lending_market = \"{current}\""
            ))),
            (current, Some(market)) if current != Some(market) => {
                if state.lent_principal > 0 {
                    return Err(self.fail(format!(
                        "the pool has {} lent to {}; the program refuses a new market while \
                         funds are lent: run `stakepool recall-all --pool {}` first",
                        format_ui_amount(state.lent_principal, decimals),
                        state.lending_market,
                        keys.pool
                    )));
                }
                if !self.announced(state, keys.pool, now, Change::LendingMarket(market)) {
                    self.steps.push(Step::SetLendingMarket {
                        pool: keys.pool,
                        market,
                    });
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether `change` was announced by an earlier run (pending with this very value): then
    /// it is executed once its time has come and awaited before, never proposed again (that
    /// would restart its clock), and the step saying so is pushed.
    fn announced(&mut self, state: &Pool, pool: Pubkey, now: i64, change: Change) -> bool {
        match state.pending_change(change.kind()) {
            // A lapsed announcement is announced again, by the usual step.
            Some((pending, at, until)) if pending == change && now <= until => {
                let what = describe_change(state, change);
                self.steps.push(if now >= at {
                    Step::ExecuteChange {
                        pool,
                        kind: change.kind(),
                        what,
                    }
                } else {
                    Step::AwaitChange {
                        pool,
                        what,
                        until: at,
                    }
                });
                true
            }
            _ => false,
        }
    }
}
