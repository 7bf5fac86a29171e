//! `ALL` as an amount: what each command can move right now, read from the accounts the way
//! the program will judge it, so `withdraw ALL` never asks for a unit too many.
use mock_lending::exchange_rate;
use mock_lending::state::Receipt;

use super::*;

impl<T: Transport> StakeClient<T> {
    /// Everything `from` (default: the signer's associated token account) holds.
    pub async fn all_depositable(
        &self,
        ctx: &PoolContext,
        from: Option<Pubkey>,
    ) -> Result<u64, ClientError> {
        self.all_held(ctx, from, "the token account holds nothing to deposit")
            .await
    }

    /// Everything the paying token account holds, for `fund-rewards ALL`.
    pub async fn all_fundable(
        &self,
        ctx: &PoolContext,
        from: Option<Pubkey>,
    ) -> Result<u64, ClientError> {
        self.all_held(
            ctx,
            from,
            "the token account holds nothing to fund rewards with",
        )
        .await
    }

    /// What `from` (by default the signer's associated token account) holds.
    async fn all_held(
        &self,
        ctx: &PoolContext,
        from: Option<Pubkey>,
        nothing: &str,
    ) -> Result<u64, ClientError> {
        let from = from.unwrap_or_else(|| self.my_token_account(ctx));
        let held = self
            .token_balance(&from)
            .await?
            .ok_or(ClientError::NoTokenAccount {
                account: from,
                mint: ctx.pool.stake_mint,
            })?;
        nonzero(held, nothing)
    }

    /// Everything the signer's position may withdraw now (`split_withdrawal`): unbonding that
    /// has unlocked, and, in a pool without an unbonding period, all that is staked.
    pub async fn all_withdrawable(&self, ctx: &PoolContext) -> Result<u64, ClientError> {
        let position = self.my_position(ctx).await?;
        let period = ctx.pool.limits.unbonding_period;
        let pool = &ctx.pool;
        let now = self.now().await?;
        let unbonding = pool.principal_value(position.unbonding_shares);
        let unlocked = if period == 0 || now >= position.unlock_ts {
            unbonding
        } else {
            0
        };
        let staked = if period == 0 {
            pool.principal_value(position.staked_shares)
        } else {
            0
        };
        let why = if unbonding > 0 && unlocked == 0 {
            format!(
                "nothing is withdrawable yet: {} is unbonding and unlocks {} (in {}); withdraw it then",
                ctx.ui(unbonding),
                projection::format_utc(position.unlock_ts),
                projection::format_duration((position.unlock_ts - now).max(0) as u64)
            )
        } else {
            "nothing is withdrawable yet: start with `stakepool request-unbond`, then withdraw once it unlocks".to_string()
        };
        nonzero(unlocked.saturating_add(staked), &why)
    }

    /// All that the signer's position still earns on.
    pub async fn all_staked(&self, ctx: &PoolContext) -> Result<u64, ClientError> {
        let position = self.my_position(ctx).await?;
        nonzero(
            ctx.pool.principal_value(position.staked_shares),
            "nothing is staked to unbond",
        )
    }

    /// What the signer's receipt in `market` is worth at the rate it pays now (rounded
    /// down, so the shares it burns, rounded up, never exceed the receipt), at most what the
    /// market holds in its vault.
    pub async fn all_in_market(&self, market: &Pubkey) -> Result<u64, ClientError> {
        let (state, keys) = self.market(market).await?;
        let shares = match self.raw(&keys.receipt(&self.me())).await? {
            Some(account) => accounts::anchor::<Receipt>(&account.data, "receipt")?.shares,
            None => 0,
        };
        let (vault, rate) = self.market_rate(&state, &keys).await?;
        let value = exchange_rate::value_of(shares, rate)
            .ok_or_else(|| ClientError::Failed("receipt value overflow".into()))?;
        nonzero(
            value.min(vault),
            "nothing of yours in this market can be withdrawn now",
        )
    }

    async fn my_position(&self, ctx: &PoolContext) -> Result<Position, ClientError> {
        self.position(ctx, &self.me())
            .await?
            .ok_or(ClientError::NoPosition {
                pool: ctx.address,
                owner: self.me(),
            })
    }
}

fn nonzero(amount: u64, why: &str) -> Result<u64, ClientError> {
    if amount == 0 {
        return Err(ClientError::NothingAvailable(why.to_string()));
    }
    Ok(amount)
}
