//! Reading the cluster: pools, positions, markets, balances, the clock, and the figures
//! projected from them to now.
use super::*;

impl<T: Transport> StakeClient<T> {
    /// The account at `address`, or `None` when there is none.
    pub async fn raw(
        &self,
        address: &Pubkey,
    ) -> Result<Option<solana_account::Account>, ClientError> {
        self.transport
            .account(address)
            .await
            .map_err(ClientError::Transport)
    }

    pub async fn now(&self) -> Result<i64, ClientError> {
        self.transport
            .unix_time()
            .await
            .map_err(ClientError::Transport)
    }

    pub async fn pool(&self, address: &Pubkey) -> Result<PoolContext, ClientError> {
        let account = self
            .raw(address)
            .await?
            .ok_or_else(|| ClientError::NoSuchPool {
                pool: *address,
                endpoint: self.transport.endpoint(),
            })?;
        if account.owner != crate::program_ids::staking_pool() {
            return Err(ClientError::NoSuchPool {
                pool: *address,
                endpoint: self.transport.endpoint(),
            });
        }
        self.pool_context(*address, &account.data).await
    }

    /// A pool account's data as the client works with it: decoded, its addresses, its mint's
    /// decimals.
    pub(super) async fn pool_context(
        &self,
        address: Pubkey,
        data: &[u8],
    ) -> Result<PoolContext, ClientError> {
        let mut pool: Pool = accounts::zero_copy(data, "staking pool")?;
        let decimals = self.mint_decimals(&pool.stake_mint).await?;
        let keys = PoolKeys::from_pool(address, &pool);
        // Boxed: every command reads a pool, so this keeps their futures small.
        let unrecognised_loss = Box::pin(self.apply_unrecognised_loss(&mut pool, &keys)).await?;
        Ok(PoolContext {
            address,
            keys,
            pool,
            unrecognised_loss,
            decimals,
        })
    }

    /// Writes off `pool` the loss its market shows and the pool has not recognised
    /// (`allocation::unrecognised_loss`), exactly as the program's next reading of the market
    /// will (`Pool::write_down`), and returns it.
    async fn apply_unrecognised_loss(
        &self,
        pool: &mut Pool,
        keys: &PoolKeys,
    ) -> Result<u64, ClientError> {
        let Some(lending) = keys.lending.filter(|_| pool.lent_principal > 0) else {
            return Ok(0);
        };
        let (market, market_keys) = self.market(&lending.market).await?;
        let vault = self
            .token_balance(&market_keys.liquidity_vault)
            .await?
            .unwrap_or(0);
        // Valued at the pool's clock, which never runs backwards, as the program does.
        let now = self.now().await?.max(pool.last_update_ts);
        let rate = market
            .payable_rate(now, vault)
            .map_err(|e| ClientError::Failed(e.to_string()))?;
        let shares = match self.raw(&lending.receipt).await? {
            Some(account) => accounts::anchor::<Receipt>(&account.data, "receipt")?.shares,
            None => 0,
        };
        let value = mock_lending::exchange_rate::value_of(shares, rate)
            .ok_or_else(|| ClientError::Failed("receipt value overflow".into()))?;
        let loss = staking_pool::allocation::unrecognised_loss(pool.lent_principal, value, rate);
        if loss > 0 {
            pool.write_down(loss, now)
                .map_err(|e| ClientError::Failed(e.to_string()))?;
        }
        Ok(loss)
    }

    /// The mint's account (its owner is the mint's token program).
    pub(super) async fn mint_account(
        &self,
        mint: &Pubkey,
    ) -> Result<solana_account::Account, ClientError> {
        self.raw(mint)
            .await?
            .ok_or_else(|| ClientError::NoSuchMint {
                mint: *mint,
                endpoint: self.transport.endpoint(),
            })
    }

    pub async fn mint_decimals(&self, mint: &Pubkey) -> Result<u8, ClientError> {
        let account = self.mint_account(mint).await?;
        Ok(accounts::mint_decimals(&account.data)?)
    }

    pub async fn position(
        &self,
        ctx: &PoolContext,
        owner: &Pubkey,
    ) -> Result<Option<Position>, ClientError> {
        match self.raw(&ctx.keys.position(owner)).await? {
            Some(account) => Ok(Some(accounts::zero_copy(&account.data, "position")?)),
            None => Ok(None),
        }
    }

    pub async fn token_balance(&self, account: &Pubkey) -> Result<Option<u64>, ClientError> {
        match self.raw(account).await? {
            Some(account) => Ok(Some(accounts::token_amount(&account.data)?)),
            None => Ok(None),
        }
    }

    /// What `market`'s shares are worth at the rate it pays now, above what it holds (vault +
    /// outstanding loans): interest it would pay that nobody funded. The pool lends nothing
    /// into a market with a deficit and recalls what it can.
    pub async fn market_deficit(&self, market: &Pubkey) -> Result<u64, ClientError> {
        let (state, keys) = self.market(market).await?;
        let (vault, rate) = self.market_rate(&state, &keys).await?;
        let claims = mock_lending::exchange_rate::value_of(state.total_shares, rate)
            .ok_or_else(|| ClientError::Failed("market claims overflow".into()))?;
        let deficit = u128::from(claims).saturating_sub(state.assets(vault));
        Ok(u64::try_from(deficit).unwrap_or(u64::MAX))
    }

    /// What `market`'s liquidity vault holds, and the rate the market pays per share now.
    pub async fn market_rate(
        &self,
        state: &Market,
        keys: &MarketKeys,
    ) -> Result<(u64, u128), ClientError> {
        let vault = self
            .token_balance(&keys.liquidity_vault)
            .await?
            .unwrap_or(0);
        let rate = state
            .payable_rate(self.now().await?, vault)
            .map_err(|e| ClientError::Failed(e.to_string()))?;
        Ok((vault, rate))
    }

    pub async fn market(&self, address: &Pubkey) -> Result<(Market, MarketKeys), ClientError> {
        let account = self
            .raw(address)
            .await?
            .ok_or_else(|| ClientError::NoSuchMarket {
                market: *address,
                endpoint: self.transport.endpoint(),
            })?;
        let market: Market = accounts::anchor(&account.data, "lending market")?;
        let keys = MarketKeys {
            market: *address,
            mint: market.mint,
            token_program: market.token_program,
            liquidity_vault: market.liquidity_vault,
        };
        Ok((market, keys))
    }

    /// The pool's figures projected to the cluster's current time.
    pub async fn pool_figures(&self, ctx: &PoolContext) -> Result<PoolFigures, ClientError> {
        let now = self.now().await?;
        projection::pool_figures(&ctx.pool, now)
            .ok_or_else(|| ClientError::Failed("the pool's books overflow".into()))
    }

    /// `owner`'s position projected to the cluster's current time.
    pub async fn position_figures(
        &self,
        ctx: &PoolContext,
        owner: &Pubkey,
    ) -> Result<PositionFigures, ClientError> {
        let position = self
            .position(ctx, owner)
            .await?
            .ok_or(ClientError::NoPosition {
                pool: ctx.address,
                owner: *owner,
            })?;
        let now = self.now().await?;
        projection::position_figures(&ctx.pool, &position, now)
            .ok_or_else(|| ClientError::Failed("the position's books overflow".into()))
    }

    /// The signer's associated token account for the pool's mint.
    pub fn my_token_account(&self, ctx: &PoolContext) -> Pubkey {
        get_associated_token_address_with_program_id(
            &self.me(),
            &ctx.pool.stake_mint,
            &ctx.pool.token_program,
        )
    }
}
