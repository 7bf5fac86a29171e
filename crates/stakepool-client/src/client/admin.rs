//! What the pool's creator and admin do: create the pool, choose the lending market, change the
//! parameters, pause, hand over the admin role, recall everything from lending.
use super::*;

impl<T: Transport> StakeClient<T> {
    pub async fn create_pool(
        &self,
        mint: &Pubkey,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
    ) -> Result<(PoolKeys, Outcome), ClientError> {
        let mint_account = self.mint_account(mint).await?;
        let keys = PoolKeys::derive(&self.me(), mint, pool_id, &mint_account.owner);
        // The program would refuse it too, but as the System program's bare "already in use"
        // (custom program error 0x0).
        if self.raw(&keys.pool).await?.is_some() {
            return Err(ClientError::PoolExists {
                pool: keys.pool,
                pool_id,
            });
        }
        let outcome = self
            .send(
                &[ix::initialize_pool(
                    &self.me(),
                    &keys,
                    pool_id,
                    apr_bps,
                    limits,
                )],
                vec![],
            )
            .await?;
        Ok((keys, outcome))
    }

    pub async fn recall_all(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::recall_all(&ctx.keys, &self.me())], vec![])
            .await
    }

    /// Attaches `market` to the pool. A market someone other than the pool's admin controls is
    /// refused unless `allow_foreign` says the admin trusts its authority: the authority's
    /// levers move the liquidity the pool lends.
    pub async fn set_lending_market(
        &self,
        pool: &Pubkey,
        market: &Pubkey,
        allow_foreign: bool,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let (state, _) = self.market(market).await?;
        if state.authority != ctx.pool.admin && !allow_foreign {
            return Err(ClientError::ForeignMarket {
                market: *market,
                authority: state.authority,
                admin: ctx.pool.admin,
            });
        }
        let change = Change::LendingMarket(*market);
        let apply = (ctx.pool.limits.notice_period == 0)
            .then(|| ix::set_lending_market(&ctx.keys, &self.me(), market));
        let (instructions, notes) = self.with_notice(&ctx, &[change], apply).await?;
        self.send(&instructions, notes).await
    }

    /// Sets the APR: a raise at once; a cut at once without a notice period, otherwise
    /// proposed (it applies after the notice period).
    pub async fn set_apr(&self, pool: &Pubkey, apr_bps: u32) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let change = Change::Apr(apr_bps);
        let at_once = ctx.pool.limits.notice_period == 0 || !ctx.pool.is_against_depositors(change);
        let apply = at_once.then(|| ix::set_apr(&ctx.keys, &self.me(), apr_bps));
        let (instructions, notes) = self.with_notice(&ctx, &[change], apply).await?;
        self.send(&instructions, notes).await
    }

    /// Sets the limits. With a notice period, a lower reserve, a longer unbonding period and
    /// a shorter notice period are proposed (each applies after the notice period); the rest
    /// applies at once, in the same transaction.
    pub async fn set_params(
        &self,
        pool: &Pubkey,
        limits: PoolLimits,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let current = ctx.pool.limits();
        let changes = limits.noticed_changes();
        let mut now = limits;
        if current.notice_period > 0 {
            // What is against depositors keeps its current value in the immediate part.
            for change in changes
                .iter()
                .filter(|c| ctx.pool.is_against_depositors(**c))
            {
                now = now.without(*change, &current);
            }
        }
        let apply = (now != current).then(|| ix::set_params(&ctx.keys, &self.me(), now));
        let (instructions, notes) = self.with_notice(&ctx, &changes, apply).await?;
        if instructions.is_empty() {
            return Err(ClientError::Failed("nothing to change".into()));
        }
        self.send(&instructions, notes).await
    }

    pub async fn set_paused(&self, pool: &Pubkey, paused: bool) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let instruction = if paused {
            ix::pause(&ctx.keys, &self.me())
        } else {
            ix::unpause(&ctx.keys, &self.me())
        };
        self.send(&[instruction], vec![]).await
    }

    pub async fn transfer_admin(
        &self,
        pool: &Pubkey,
        new_admin: &Pubkey,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(
            &[ix::transfer_admin(&ctx.keys, &self.me(), new_admin)],
            vec![],
        )
        .await
    }

    pub async fn accept_admin(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::accept_admin(&ctx.keys, &self.me())], vec![])
            .await
    }
}
