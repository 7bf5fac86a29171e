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
        self.send(
            &[ix::set_lending_market(&ctx.keys, &self.me(), market)],
            vec![],
        )
        .await
    }

    pub async fn set_apr(&self, pool: &Pubkey, apr_bps: u32) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::set_apr(&ctx.keys, &self.me(), apr_bps)], vec![])
            .await
    }

    pub async fn set_params(
        &self,
        pool: &Pubkey,
        limits: PoolLimits,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.send(&[ix::set_params(&ctx.keys, &self.me(), limits)], vec![])
            .await
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
