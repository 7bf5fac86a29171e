//! What a depositor (and anyone cranking) does: fund rewards, deposit, withdraw, unbond, claim,
//! compound, close, rebalance and harvest.
use super::*;

impl<T: Transport> StakeClient<T> {
    pub async fn fund_rewards(
        &self,
        pool: &Pubkey,
        amount: u64,
        from: Option<Pubkey>,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        let from = from.unwrap_or_else(|| self.my_token_account(&ctx));
        self.require_balance(&from, &ctx.pool.stake_mint, amount, ctx.decimals)
            .await?;
        self.send(
            &[ix::fund_rewards(&ctx.keys, &self.me(), &from, amount)],
            vec![],
        )
        .await
    }

    /// Deposits, opening the position in the same transaction the first time.
    pub async fn deposit(
        &self,
        pool: &Pubkey,
        amount: u64,
        from: Option<Pubkey>,
    ) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        if self.preflight {
            if ctx.pool.is_paused() {
                return Err(ClientError::PoolPaused(*pool));
            }
            let limits = ctx.pool.limits;
            if amount < limits.min_deposit {
                return Err(ClientError::BelowMinimumDeposit {
                    minimum: ctx.ui(limits.min_deposit),
                });
            }
            let principal = ctx.pool.total_principal().unwrap_or(u64::MAX);
            let room = limits.deposit_cap.saturating_sub(principal);
            if amount > room {
                return Err(ClientError::DepositCapExceeded { room: ctx.ui(room) });
            }
        }
        let from = from.unwrap_or_else(|| self.my_token_account(&ctx));
        self.require_balance(&from, &ctx.pool.stake_mint, amount, ctx.decimals)
            .await?;
        let open = self.position(&ctx, &self.me()).await?.is_none();
        let me = self.me();
        self.send_moving_principal(&ctx, |keys| {
            let open = open.then(|| ix::open_position(keys, &me));
            open.into_iter()
                .chain([ix::deposit(keys, &me, &from, amount)])
                .collect()
        })
        .await
    }

    /// Sends an instruction that moves principal, built by `build` from the pool's keys: with
    /// the lending accounts only while principal is lent (`PoolKeys::moving_principal`; the
    /// program then reads the market for a loss first), and again with them if the pool lent
    /// before it landed (the program refuses with `LendingAccountsMissing`, changing nothing).
    /// A transaction signed now and completed later must be rebuilt identically, whatever the
    /// pool lends by then: always the full account list.
    async fn send_moving_principal(
        &self,
        ctx: &PoolContext,
        build: impl Fn(&PoolKeys) -> Vec<Instruction>,
    ) -> Result<Outcome, ClientError> {
        let full = build(&ctx.keys);
        let lean = if self.signs_for_later() {
            full.clone()
        } else {
            build(&ctx.keys.moving_principal(&ctx.pool))
        };
        let retry = lean != full;
        match self.send(&lean, vec![]).await {
            Err(ClientError::Program { name, .. }) if retry && name == "LendingAccountsMissing" => {
                self.send(&full, vec![]).await
            }
            sent => sent,
        }
    }

    /// Withdraws `amount` of principal; a shortfall of idle principal is recalled from lending
    /// in the same transaction (lending accounts as `send_moving_principal` passes them).
    /// Returns the outcome and what reached the destination:
    /// read from its balance once confirmed, since a withdrawal that recalls from lending
    /// keeps that recall's share rounding (a base unit or two) in the pool; `amount` for a dry
    /// run.
    pub async fn withdraw(
        &self,
        pool: &Pubkey,
        amount: u64,
        to: Option<Pubkey>,
    ) -> Result<(Outcome, u64), ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        let (to, create) = self.destination(&ctx, to);
        let before = self.token_balance(&to).await?.unwrap_or(0);
        let me = self.me();
        let outcome = self
            .send_moving_principal(&ctx, |keys| {
                create
                    .iter()
                    .cloned()
                    .chain([ix::withdraw(keys, &me, &to, amount)])
                    .collect()
            })
            .await?;
        let received = match outcome.sent {
            Sent::Simulated(_) | Sent::SignedOnly(_) => amount,
            Sent::Confirmed(_) => self
                .token_balance(&to)
                .await?
                .unwrap_or(0)
                .saturating_sub(before),
        };
        Ok((outcome, received))
    }

    pub async fn request_unbond(&self, pool: &Pubkey, amount: u64) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        self.send(&[ix::request_unbond(&ctx.keys, &self.me(), amount)], vec![])
            .await
    }

    /// Claims what the reward books can pay; says how much stays owed when they are short.
    /// Returns the outcome and the amount paid: read back from the position once confirmed
    /// (a claim lands later than it is prepared, so more has accrued), or the projection for a
    /// dry run.
    pub async fn claim(
        &self,
        pool: &Pubkey,
        to: Option<Pubkey>,
    ) -> Result<(Outcome, u64), ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        let before = self.position(&ctx, &self.me()).await?;
        let now = self.now().await?;
        let figures = before
            .as_ref()
            .and_then(|p| projection::position_figures(&ctx.pool, p, now));
        let mut notes = Vec::new();
        if let Some(f) = figures.filter(|f| f.owed > u128::from(f.claimable)) {
            let rest = f.owed - u128::from(f.claimable);
            notes.push(if f.claimable == u64::MAX {
                format!(
                    "you are owed {}: one claim pays at most {} (the most one transfer moves); {} stays owed for later claims",
                    ctx.ui(f.owed),
                    ctx.ui(f.claimable),
                    ctx.ui(rest)
                )
            } else {
                format!(
                    "reward vault holds {}, you are owed {}: {} stays owed until the pool is funded",
                    ctx.ui(f.claimable),
                    ctx.ui(f.owed),
                    ctx.ui(rest)
                )
            });
        }
        let (to, create) = self.destination(&ctx, to);
        let mut instructions: Vec<Instruction> = create.into_iter().collect();
        instructions.push(ix::claim(&ctx.keys, &self.me(), &to));
        let outcome = self.send(&instructions, notes).await?;
        let paid = match outcome.sent {
            Sent::Simulated(_) | Sent::SignedOnly(_) => figures.map_or(0, |f| f.claimable),
            Sent::Confirmed(_) => {
                let claimed_before = before.map_or(0, |p| p.total_claimed);
                let after = self.position(&ctx, &self.me()).await?;
                after.map_or(0, |p| p.total_claimed.saturating_sub(claimed_before))
            }
        };
        Ok((outcome, paid))
    }

    pub async fn compound(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        if self.preflight && ctx.pool.is_paused() {
            return Err(ClientError::PoolPaused(*pool));
        }
        self.require_position(&ctx).await?;
        let me = self.me();
        self.send_moving_principal(&ctx, |keys| vec![ix::compound(keys, &me)])
            .await
    }

    /// Withdraws `amount` of principal in kind (`ix::withdraw_in_kind`): the lent part as
    /// receipt shares of the pool's market, into the signer's own receipt there (opened in the
    /// same transaction when missing), the rest in tokens. Returns the outcome and the receipt
    /// shares received (read back once confirmed; 0 for a dry run).
    pub async fn withdraw_in_kind(
        &self,
        pool: &Pubkey,
        amount: u64,
        to: Option<Pubkey>,
    ) -> Result<(Outcome, u64), ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.require_position(&ctx).await?;
        let (to, create) = self.destination(&ctx, to);
        let lending = ctx.keys.lending();
        let (_, market_keys) = self.market(&lending.market).await?;
        let me = self.me();
        let receipt = market_keys.receipt(&me);
        let shares_before = self.receipt_shares(&receipt).await?;
        let mut instructions: Vec<Instruction> = create.into_iter().collect();
        if shares_before.is_none() {
            instructions.push(lx::open_receipt(&market_keys, &me, &self.payer()));
        }
        instructions.push(ix::withdraw_in_kind(&ctx.keys, &me, &to, &receipt, amount));
        let outcome = self.send(&instructions, vec![]).await?;
        let received = match outcome.sent {
            Sent::Simulated(_) | Sent::SignedOnly(_) => 0,
            Sent::Confirmed(_) => self
                .receipt_shares(&receipt)
                .await?
                .unwrap_or(0)
                .saturating_sub(shares_before.unwrap_or(0)),
        };
        Ok((outcome, received))
    }

    /// The shares a receipt holds, or `None` when it does not exist.
    async fn receipt_shares(&self, receipt: &Pubkey) -> Result<Option<u64>, ClientError> {
        match self.raw(receipt).await? {
            Some(account) => Ok(Some(
                accounts::anchor::<Receipt>(&account.data, "receipt")?.shares,
            )),
            None => Ok(None),
        }
    }

    /// Anyone may crank it: writes off every position a loss the pool's market shows.
    pub async fn recognise_loss(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::recognise_loss(&ctx.keys)], vec![]).await
    }

    pub async fn close_position(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.pool(pool).await?;
        self.require_position(&ctx).await?;
        self.send(&[ix::close_position(&ctx.keys, &self.me())], vec![])
            .await
    }

    pub async fn rebalance(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::rebalance(&ctx.keys)], vec![]).await
    }

    pub async fn harvest(&self, pool: &Pubkey) -> Result<Outcome, ClientError> {
        let ctx = self.lending_pool(pool).await?;
        self.send(&[ix::harvest(&ctx.keys)], vec![]).await
    }
}
